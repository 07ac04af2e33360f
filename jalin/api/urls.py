from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from jalin.api import queue, reports, views
from jalin.api.errors import not_found
from jalin.portal import converters  # noqa: F401  (the <id:...> converter)

app_name = "api"
urlpatterns = [
    path("schema", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("public/agreements", views.PublicAgreementList.as_view(), name="public-agreements"),
    path("public/agreements/<id:pk>", views.PublicAgreementDetail.as_view(), name="public-agreement"),
    path("public/agreements/<id:pk>/feedback", views.PublicFeedbackList.as_view(), name="public-feedback"),
    path("agreements", views.AgreementList.as_view(), name="agreements"),
    path("agreements/<id:pk>", views.AgreementDetail.as_view(), name="agreement"),
    path("partners", views.PartnerList.as_view(), name="partners"),
    path("partners/<id:pk>", views.PartnerDetail.as_view(), name="partner"),
    path("agreements/<id:pk>/reports", reports.AgreementReports.as_view(), name="agreement-reports"),
    path("reports/<id:pk>", reports.ReportDetail.as_view(), name="report"),
    path("reports/<id:pk>/submit", reports.ReportSubmit.as_view(), name="report-submit"),
    path("reports/<id:pk>/verify", reports.ReportVerify.as_view(), name="report-verify"),
    path("reports/<id:pk>/return", reports.ReportReturn.as_view(), name="report-return"),
    path("queue", queue.QueueView.as_view(), name="queue"),
    re_path(r"^.*$", not_found),
]
