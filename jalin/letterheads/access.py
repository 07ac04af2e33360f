"""Who may change a government's templates and letter settings (its admin)."""

from jalin.accounts import access
from jalin.accounts.models import Role


def can_manage_letterheads(user) -> bool:
    return access.is_staff_member(user) and user.role == Role.ADMIN
