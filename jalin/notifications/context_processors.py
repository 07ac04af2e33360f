def notifications(request) -> dict:
    """Unread notification count for the header (filled in by the notifications app)."""
    return {}
