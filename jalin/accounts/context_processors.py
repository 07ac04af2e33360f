from jalin.accounts import access, sessions, two_factor


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    session = sessions.page_context() if getattr(user, "is_authenticated", False) else {}
    if not access.is_staff_member(user):
        return {"is_staff_member": False, **session}
    return {
        **session,
        "is_staff_member": True,
        "nav_can_view_audit": access.can_view_audit(user),
        "nav_can_two_factor": two_factor.can_use_two_factor(user),
    }
