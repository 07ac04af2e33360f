"""Who may see and moderate citizen feedback. Built on jalin.accounts.access.

- staff who read everything of a government (admin, TKKSD reviewer, leader, auditor,
  supervisor) see the feedback of the governments they may read;
- an OPD officer sees the feedback on agreements their agency leads or supports;
- moderating (publish, reject, answer) needs the right to change the agreement: the
  government's admin or an officer of the lead or a supporting agency.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from jalin.accounts import access
from jalin.accounts.models import Role
from jalin.agreements.models import Agreement
from jalin.portal.models import Feedback


def feedback_visible_to(user) -> QuerySet:
    if not access.is_staff_member(user):
        return Feedback.objects.none()
    queryset = Feedback.objects.filter(government_id__in=access.visible_government_ids(user))
    if user.role == Role.OPD_OFFICER:
        supported = Agreement.supporting_agencies.through.objects.filter(agency_id=user.agency_id).values(
            "agreement_id"
        )
        queryset = queryset.filter(Q(agreement__lead_agency_id=user.agency_id) | Q(agreement_id__in=supported))
    elif user.role not in access.READ_ALL_ROLES:
        return Feedback.objects.none()
    return queryset


def can_moderate_feedback(user, feedback: Feedback) -> bool:
    return access.can_change_agreement(user, feedback.agreement)


def feedback_for_user(user, pk, write: bool = False) -> Feedback:
    try:
        feedback = feedback_visible_to(user).select_related("agreement", "agreement__lead_agency").get(pk=pk)
    except (Feedback.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_moderate_feedback(user, feedback):
        raise PermissionDenied
    return feedback
