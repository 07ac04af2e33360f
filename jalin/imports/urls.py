from django.urls import path

from jalin.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_start, name="start"),
    path("<int:pk>/mapping/", views.import_mapping, name="mapping"),
    path("<int:pk>/preview/", views.import_preview, name="preview"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/source/", views.import_source, name="source"),
]
