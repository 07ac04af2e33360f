"""The demo logins printed by `make run` and `manage.py demo_logins`."""

import base64

from django.conf import settings
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jalin.accounts import two_factor
from jalin.accounts.models import Role, User
from jalin.demo.builder import DEMOS, SUPERUSER_TRY
from jalin.demo.specs import DEMO_PASSWORD, SUPERUSER

# The demo's authenticator secret (base32): every demo user whose role requires a second factor
# is enrolled with it, so an authenticator app (or `demo_logins`, which prints the current code)
# gives the code. A demo only: a real installation enrols each user with their own secret.
DEMO_TOTP_SECRET = "JALINDEMOJALINDEMOJALINDEMOJALIN"


def enrol_demo_second_factor() -> int:
    """Enrol the demo users who need a second factor and have none; how many were enrolled."""
    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    specs = [spec.username for demo in DEMOS for spec in demo.users]
    enrolled = 0
    for user in User.objects.filter(username__in=[SUPERUSER, *specs]):
        if two_factor.requires_two_factor(user) and not two_factor.has_second_factor(user):
            TOTPDevice.objects.create(user=user, name=two_factor.TOTP_NAME, key=key, confirmed=True)
            enrolled += 1
    return enrolled


def current_demo_code() -> str:
    totp = TOTP(base64.b32decode(DEMO_TOTP_SECRET))
    return f"{totp.token():06d}"


def app_url() -> str:
    return f"{settings.SITE_URL.rstrip('/')}/app/"


def login_rows() -> list[tuple[str, ...]]:
    """One row per demo user: username, password, role, government, agency, what to try."""
    specs = [(spec, demo) for demo in DEMOS for spec in demo.users]
    usernames = [SUPERUSER] + [spec.username for spec, _demo in specs]
    users = User.objects.select_related("government", "agency").in_bulk(usernames, field_name="username")
    missing = str(_("(not created yet)"))

    superuser = users.get(SUPERUSER)
    rows = [
        (SUPERUSER, DEMO_PASSWORD, str(_("Django superuser")) if superuser else missing, "-", "-", str(SUPERUSER_TRY))
    ]
    for spec, _demo in specs:
        user = users.get(spec.username)
        if user is None:
            rows.append((spec.username, DEMO_PASSWORD, missing, "", "", str(spec.try_this)))
            continue
        rows.append(
            (
                user.username,
                DEMO_PASSWORD,
                str(Role(user.role).label) if user.role else "-",
                str(user.government or "-"),
                str(user.agency or "-"),
                str(spec.try_this),
            )
        )
    return rows


def format_logins() -> str:
    headers = (_("Username"), _("Password"), _("Role"), _("Government"), _("Agency"), _("Try"))
    rows = [tuple(str(header) for header in headers), *login_rows()]
    widths = [max(len(row[column]) for row in rows) for column in range(len(headers) - 1)]

    def line(row: tuple[str, ...]) -> str:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        return "  ".join([*cells, row[-1]]).rstrip()

    rule = "  ".join("-" * width for width in widths) + "  " + "-" * len(rows[0][-1])
    return "\n".join(
        [
            _("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD},
            "",
            line(rows[0]),
            rule,
            *(line(row) for row in rows[1:]),
            "",
            _("Sign in at %(url)s") % {"url": app_url()},
            "",
            _(
                "Admins, leaders, the supervisor and %(superuser)s also need a code from an authenticator app: "
                "add the secret %(secret)s (TOTP, 6 digits, 30 s). Code right now: %(code)s "
                "(run `manage.py demo_logins` again for a fresh one)."
            )
            % {"superuser": SUPERUSER, "secret": DEMO_TOTP_SECRET, "code": current_demo_code()},
        ]
    )
