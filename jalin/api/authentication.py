from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed


class TokenOrBearerAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` or `Authorization: Bearer <key>` (tokens from
    `manage.py create_api_token USERNAME`)."""

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
        if len(key) > 64:
            raise AuthenticationFailed(_("Invalid token."))
        return self.authenticate_credentials(key)

    def authenticate_header(self, request):
        return "Token"
