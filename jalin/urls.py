from django.contrib import admin
from django.urls import include, path

from jalin.monitoring import views as monitoring_views

urlpatterns = [
    # Public: portal home, published agreements, feedback, open data (jalin.portal).
    path("", include("jalin.portal.urls")),
    # The staff home is the monitoring dashboard.
    path("app/", monitoring_views.dashboard, name="staff-home"),
    # /healthz, /readyz, operations (jalin.ops).
    path("", include("jalin.ops.urls")),
    # /calendar/<token>.ics and /app/notifications/ (jalin.notifications).
    path("", include("jalin.notifications.urls")),
    path("app/", include("jalin.accounts.urls")),
    # /app/inbox/ and /app/workflow/... (jalin.workflow).
    path("app/", include("jalin.workflow.urls")),
    # /app/dashboard/ and /app/monitoring/... (jalin.monitoring).
    path("app/", include("jalin.monitoring.urls")),
    path("app/agreements/", include("jalin.agreements.urls")),
    path("app/partners/", include("jalin.partners.urls")),
    path("app/agencies/", include("jalin.governments.urls")),
    path("app/documents/", include("jalin.documents.urls")),
    path("app/audit/", include("jalin.audit.urls")),
    path("app/reports/", include("jalin.reports.urls")),
    path("app/letterheads/", include("jalin.letterheads.urls")),
    path("app/imports/", include("jalin.imports.urls")),
    path("api/v1/", include("jalin.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
