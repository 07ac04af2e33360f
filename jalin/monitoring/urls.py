from django.urls import path

from jalin.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("monitoring/signals/", views.signal_list, name="signals"),
    path("monitoring/agreements/<int:pk>/", views.agreement_monitoring, name="agreement"),
    path("monitoring/agreements/<int:pk>/obligations/new/", views.obligation_create, name="obligation-create"),
    path("monitoring/agreements/<int:pk>/indicators/new/", views.indicator_create, name="indicator-create"),
    path("monitoring/agreements/<int:pk>/budget/new/", views.budget_line_create, name="budget-create"),
    path("monitoring/agreements/<int:pk>/reports/new/", views.report_start, name="report-start"),
    path("monitoring/agreements/<int:pk>/evidence/", views.agreement_evidence, name="agreement-evidence"),
    path("monitoring/agreements/<int:pk>/evaluations/new/", views.evaluation_create, name="evaluation-create"),
    path("monitoring/framework/<slug:kind>/<int:pk>/correct/", views.framework_item_edit, name="framework-edit"),
    path("monitoring/framework/<slug:kind>/<int:pk>/archive/", views.framework_item_archive, name="framework-archive"),
    path("monitoring/reports/<int:pk>/", views.report_detail, name="report"),
    path("monitoring/reports/<int:pk>/verify/", views.report_verify, name="report-verify"),
    path("monitoring/reports/<int:pk>/return/", views.report_return, name="report-return"),
    path("monitoring/reports/<int:pk>/correct/", views.report_correct, name="report-correct"),
    path("monitoring/reports/<int:pk>/evidence/", views.report_evidence, name="report-evidence"),
    path("monitoring/evidence/<int:pk>/file/", views.evidence_file, name="evidence-file"),
    path("monitoring/evidence/<int:pk>/thumbnail/", views.evidence_thumbnail, name="evidence-thumbnail"),
    path("monitoring/evidence/<int:pk>/verify/", views.evidence_verify, name="evidence-verify"),
    path("monitoring/evaluations/<int:pk>/publish/", views.evaluation_publish, name="evaluation-publish"),
    path("monitoring/photos/<int:pk>/", views.public_photo, name="public-photo"),
]
