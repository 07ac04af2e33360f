from django.urls import path

from jalin.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("periodic/", views.periodic_create, name="periodic"),
    path("register/", views.register_export, name="register"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/download/", views.job_download, name="download"),
    path("issued/", views.issued_index, name="issued"),
    path("issued/new/", views.issued_create, name="issue"),
    path("issued/<int:pk>/", views.issued_detail, name="issued-detail"),
    path("issued/<int:pk>/<str:fmt>/", views.issued_download, name="issued-download"),
    path("jobs/<int:pk>/cover-letter.<str:fmt>", views.cover_letter, name="cover-letter"),
    path("agreements/<int:pk>/fact-sheet.pdf", views.fact_sheet, name="fact-sheet"),
    path("agreements/<int:pk>/evaluation.pdf", views.evaluation_report, name="evaluation"),
]
