"""Every URL pattern, of every namespace and the API included, has a row here: walked from
the URL conf, so a new URL without a row fails the test (and one whose row is stale too).

Each row says what an anonymous visitor and a signed-in user without a role ("nobody") get
on a GET of the pattern (arguments filled with an id no object has): "login" (sent to the
login page), "admin" (the Django admin's own login redirect), another redirect "302", or
the status code (200 public, 401/403 refused, 404 nothing there or not revealed, 405 not a
GET). What each role gets on real
objects is proved row by row in test_access_matrix.py and the apps' own access tests; this
file makes sure no URL is left out of that thinking.
"""

import re

from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver
from personas import build_world

from jalin.accounts.models import User


def url_patterns():
    """(key, route) of every pattern: the key is `namespace:name`, or the route when unnamed."""

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
                yield name or route, route

    return list(walk(get_resolver().url_patterns))


SAMPLES = {
    "int": "987654",
    "str": "nothing-here",
    "slug": "nothing-here",
    "path": "987654",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def sample_path(route: str) -> str | None:
    """A concrete path for a route, with arguments no object has; None for a catch-all regex."""
    # Regex groups first: the first alternative, or "x" for anything.
    path = re.sub(r"\(\?P<\w+>([^)]*)\)", lambda m: m.group(1).split("|")[0] if "|" in m.group(1) else "x", route)
    path = path.replace("^", "").replace("$", "").replace(".*", "x")
    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: SAMPLES.get(m.group(1) or "str", "987654"), path)
    if re.search(r"[\\()\[\]*+?]", path):
        return None
    return "/" + path


def classify(response) -> str:
    """ "login" (sent to Jalin's login), "admin" (to the Django admin's login), "302" (any other
    redirect), else the status code."""
    status = response.status_code
    location = response.headers.get("Location", "")
    if status in (301, 302):
        if "/django-admin/login/" in location:
            return "admin"
        if "/app/login/" in location:
            return "login"
        return "302"
    return str(status)


# anonymous, nobody (signed in, no role). Generated from the URL conf, then read row by row.
ROWS = {
    "portal:home": "200 200",
    "portal:agreements": "200 200",
    "portal:agreement": "404 404",
    "portal:feedback-send": "302 302",
    "portal:government": "404 404",
    "portal:government-agreements": "404 404",
    "portal:government-feed": "404 404",
    "portal:feedback-photo": "404 404",
    "portal:follow": "404 404",
    "portal:follow-photo": "404 404",
    "portal:feed": "200 200",
    "portal:open-data": "200 200",
    "portal:open-data-csv": "200 200",
    "portal:open-data-json": "200 200",
    "portal:open-data-results-csv": "200 200",
    "portal:open-data-results-json": "200 200",
    "portal:moderation": "login 403",
    "portal:moderate": "login 403",
    "staff-home": "login 403",
    "ops:healthz": "200 200",
    "ops:readyz": "200 200",
    "notifications:calendar": "404 404",
    "notifications:list": "login 403",
    "notifications:mark-read": "login 403",
    "notifications:preferences": "login 403",
    "notifications:calendar-reset": "login 403",
    "login": "200 302",
    "two-factor-verify": "login login",
    "two-factor-enrol": "login login",
    "logout": "405 405",
    "account": "login 403",
    "two-factor-settings": "login 403",
    "password-change": "login 200",
    "api-tokens": "login 403",
    "api-token-revoke": "login 403",
    "session-keepalive": "401 200",
    "officers": "login 403",
    "officer-password-reset": "login 403",
    "password_reset": "200 200",
    "password_reset_done": "200 200",
    "password_reset_confirm": "200 200",
    "password_reset_complete": "200 200",
    "workflow:inbox": "login 403",
    "workflow:propose": "login 403",
    "workflow:settings": "login 403",
    "workflow:panel": "login 403",
    "workflow:transition": "login 403",
    "workflow:comment": "login 403",
    "workflow:attach": "login 403",
    "workflow:answers": "login 403",
    "workflow:draft": "login 403",
    "workflow:extend": "login 403",
    "workflow:amend": "login 403",
    "workflow:terminate": "login 403",
    "monitoring:dashboard": "login 403",
    "monitoring:signals": "login 403",
    "monitoring:agreement": "login 403",
    "monitoring:obligation-create": "login 403",
    "monitoring:indicator-create": "login 403",
    "monitoring:budget-create": "login 403",
    "monitoring:report-start": "login 403",
    "monitoring:agreement-evidence": "login 403",
    "monitoring:evaluation-create": "login 403",
    "monitoring:report": "login 403",
    "monitoring:report-verify": "login 403",
    "monitoring:report-return": "login 403",
    "monitoring:report-correct": "login 403",
    "monitoring:report-evidence": "login 403",
    "monitoring:evidence-file": "login 403",
    "monitoring:evidence-thumbnail": "login 403",
    "monitoring:evidence-verify": "login 403",
    "monitoring:evaluation-publish": "login 403",
    "monitoring:public-photo": "404 404",
    "agreements:list": "login 403",
    "agreements:create": "login 403",
    "agreements:detail": "login 403",
    "agreements:edit": "login 403",
    "agreements:archive": "login 403",
    "partners:list": "login 403",
    "partners:create": "login 403",
    "partners:detail": "login 403",
    "partners:edit": "login 403",
    "partners:archive": "login 403",
    "agencies:list": "login 403",
    "agencies:create": "login 403",
    "agencies:edit": "login 403",
    "agencies:archive": "login 403",
    "documents:upload": "login 403",
    "documents:download": "login 403",
    "documents:archive": "login 403",
    "audit:list": "login 403",
    "reports:index": "login 403",
    "reports:periodic": "login 403",
    "reports:register": "login 403",
    "reports:job": "login 403",
    "reports:download": "login 403",
    "reports:fact-sheet": "login 403",
    "reports:evaluation": "login 403",
    "imports:start": "login 403",
    "imports:mapping": "login 403",
    "imports:preview": "login 403",
    "imports:detail": "login 403",
    "imports:source": "login 403",
    "api:schema": "200 200",
    "api:docs": "200 200",
    "api:public-agreements": "200 200",
    "api:public-agreement": "404 404",
    "api:public-feedback": "404 404",
    "api:agreements": "401 403",
    "api:agreement": "401 403",
    "api:partners": "401 403",
    "api:partner": "401 403",
    "api:agreement-reports": "401 403",
    "api:report": "401 403",
    "api:report-submit": "401 403",
    "api:report-verify": "401 403",
    "api:report-return": "401 403",
    "api/v1/^.*$": "404 404",
    "set_language": "302 302",
    "admin:login": "login 403",
    "admin:logout": "302 302",
    # Added with the merge of this round's work (each read: staff pages refuse a user without a role).
    "ops:favicon": "302 302",
    "notifications:whatsapp-webhook": "403 403",
    "monitoring:framework-edit": "login 403",
    "monitoring:framework-archive": "login 403",
    "agreements:restore": "login 403",
    "partners:restore": "login 403",
    "agencies:restore": "login 403",
    "documents:bulk_upload": "login 403",
    "documents:bulk": "login 403",
    "documents:bulk_assign": "login 403",
    "documents:scan_upload": "login 403",
    "documents:scan": "login 403",
    "reports:issued": "login 403",
    "reports:issue": "login 403",
    "reports:issued-detail": "login 403",
    "reports:issued-download": "login 403",
    "reports:cover-letter": "login 403",
    "letterheads:index": "login 403",
    "letterheads:upload": "login 403",
    "letterheads:revert": "login 403",
    "letterheads:download": "login 403",
    "imports:progress": "login 403",
    "imports:rerun": "login 403",
    "imports:undo": "login 403",
    "imports:report": "login 403",
    "api:queue": "401 403",
}
# The Django admin's pages: everyone without a verified admin session is sent to its login
# (which sends to Jalin's, with the second factor). Listed by key so that a newly registered
# model shows up here too.
ADMIN_KEYS = {
    "admin:index",
    "admin:password_change",
    "admin:password_change_done",
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:axes_accessattempt_changelist",
    "admin:axes_accessattempt_add",
    "admin:axes_accessattempt_history",
    "admin:axes_accessattempt_delete",
    "admin:axes_accessattempt_change",
    "django-admin/axes/accessattempt/<path:object_id>/",
    "admin:axes_accesslog_changelist",
    "admin:axes_accesslog_add",
    "admin:axes_accesslog_history",
    "admin:axes_accesslog_delete",
    "admin:axes_accesslog_change",
    "django-admin/axes/accesslog/<path:object_id>/",
    "admin:axes_accessfailurelog_changelist",
    "admin:axes_accessfailurelog_add",
    "admin:axes_accessfailurelog_history",
    "admin:axes_accessfailurelog_delete",
    "admin:axes_accessfailurelog_change",
    "django-admin/axes/accessfailurelog/<path:object_id>/",
    "admin:auth_user_password_change",
    "admin:accounts_user_changelist",
    "admin:accounts_user_add",
    "admin:accounts_user_history",
    "admin:accounts_user_delete",
    "admin:accounts_user_change",
    "django-admin/accounts/user/<path:object_id>/",
    "admin:governments_government_changelist",
    "admin:governments_government_add",
    "admin:governments_government_history",
    "admin:governments_government_delete",
    "admin:governments_government_change",
    "django-admin/governments/government/<path:object_id>/",
    "admin:governments_affair_changelist",
    "admin:governments_affair_add",
    "admin:governments_affair_history",
    "admin:governments_affair_delete",
    "admin:governments_affair_change",
    "django-admin/governments/affair/<path:object_id>/",
    "admin:app_list",
    "django-admin/(?P<url>.*)$",
}
ADMIN_ROW = "admin admin"


class UrlMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.nobody = User.objects.create_user("nobody", government=cls.world.pesawaran)

    def test_every_url_pattern_has_a_row_and_every_row_a_pattern(self):
        keys = [key for key, _route in url_patterns()]
        missing = [key for key in keys if key not in ROWS and key not in ADMIN_KEYS]
        self.assertEqual(missing, [], "URL patterns without a row in the access matrix")
        stale = sorted((set(ROWS) | ADMIN_KEYS) - set(keys))
        self.assertEqual(stale, [], "rows of the access matrix whose URL pattern is gone")

    def test_every_url_answers_anonymous_and_roleless_users_as_its_row_says(self):
        for key, route in url_patterns():
            expected = ADMIN_ROW if key in ADMIN_KEYS else ROWS.get(key)
            path = sample_path(route)
            with self.subTest(url=key, path=path):
                self.assertIsNotNone(path, "no sample path for this route")
                self.client.logout()
                anonymous = classify(self.client.get(path))
                self.client.force_login(self.nobody)
                nobody = classify(self.client.get(path))
                self.assertEqual(f"{anonymous} {nobody}", expected)

    def test_no_staff_page_is_open_to_a_user_without_a_role(self):
        # A row that sends the anonymous visitor to the login must refuse "nobody": a staff
        # page that forgot its access check would show up here as a 200.
        for key, row in ROWS.items():
            anonymous, nobody = row.split()
            if anonymous == "login" and key not in ("password-change", "two-factor-verify", "two-factor-enrol"):
                with self.subTest(url=key):
                    self.assertIn(nobody, ("403", "404"))
