from django.urls import path

from jalin.documents import views

app_name = "documents"
urlpatterns = [
    path("upload/<int:agreement_pk>/", views.document_upload, name="upload"),
    path("<int:pk>/download/", views.document_download, name="download"),
    path("<int:pk>/archive/", views.document_archive, name="archive"),
]
