from django.urls import path

from jalin.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_start, name="start"),
    path("<int:pk>/mapping/", views.import_mapping, name="mapping"),
    path("<int:pk>/preview/", views.import_preview, name="preview"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/progress/", views.import_progress, name="progress"),
    path("<int:pk>/rerun/", views.import_rerun, name="rerun"),
    path("<int:pk>/undo/", views.import_undo, name="undo"),
    path("<int:pk>/report/", views.import_report, name="report"),
    path("<int:pk>/source/", views.import_source, name="source"),
]
