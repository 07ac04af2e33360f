"""Who may see and act on a workflow process. Built on jalin.accounts.access."""

from django.http import Http404

from jalin.accounts import access
from jalin.accounts.models import Role
from jalin.workflow.models import Process


def process_for_user(user, pk) -> Process:
    """The process, if the user may see its agreement; 404 otherwise."""
    try:
        process = Process.objects.select_related("agreement", "implementing", "government").get(pk=pk)
    except (Process.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access.agreement_for_user(user, process.agreement_id)
    return process


def is_agency_officer(user, process: Process) -> bool:
    return user.role == Role.OPD_OFFICER and user.agency_id == process.agreement.lead_agency_id


def has_role(user, process: Process, roles) -> bool:
    """Whether the user acts for one of `roles` in this process's government (an OPD officer
    only for their own agency's proposals)."""
    if not access.is_staff_member(user) or user.government_id != process.government_id:
        return False
    if user.role not in roles:
        return False
    return user.role != Role.OPD_OFFICER or is_agency_officer(user, process)


def can_comment(user, process: Process) -> bool:
    return has_role(user, process, {Role.ADMIN, Role.TKKSD_REVIEWER, Role.OPD_OFFICER})


def can_contribute_documents(user, process: Process) -> bool:
    """Attach checklist documents and generate drafts: the admin and the lead agency."""
    return has_role(user, process, {Role.ADMIN, Role.OPD_OFFICER}) and not process.agreement.archived_at


def can_manage_settings(user) -> bool:
    return access.is_staff_member(user) and user.role == Role.ADMIN
