from rest_framework.permissions import BasePermission

from jalin.accounts import access


class IsStaffMember(BasePermission):
    """A user with a role in a government (what each object allows is decided by
    jalin.accounts.access, called by every view)."""

    def has_permission(self, request, view) -> bool:
        return access.is_staff_member(request.user)
