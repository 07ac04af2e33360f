from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from jalin.accounts import tokens


class TokenOrBearerAuthentication(BaseAuthentication):
    """`Authorization: Token <key>` or `Authorization: Bearer <key>`: a named, expiring API
    token (jalin/accounts/tokens.py; minted on the staff page /app/account/tokens/ or by
    `manage.py create_api_token USERNAME`). Only its hash is stored."""

    keywords = (b"token", b"bearer")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_('Invalid Authorization header: use "Token <key>" or "Bearer <key>".'))
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise AuthenticationFailed(_("Invalid token.")) from None
        user = tokens.api_token_user(key, remote_addr=request.META.get("REMOTE_ADDR"))
        if user is None:
            raise AuthenticationFailed(_("Invalid token."))
        return (user, key)

    def authenticate_header(self, request):
        return "Token"
