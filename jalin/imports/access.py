"""Who may see an import: the admins of the government it belongs to."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from jalin.imports.models import RegisterImport
from jalin.imports.services import can_import


def imports_visible_to(user):
    if not can_import(user):
        return RegisterImport.objects.none()
    return RegisterImport.objects.filter(government_id=user.government_id)


def import_for_user(user, pk) -> RegisterImport:
    if not can_import(user):
        raise PermissionDenied
    try:
        return imports_visible_to(user).select_related("created_by").get(pk=pk)
    except (RegisterImport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
