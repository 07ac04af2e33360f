from django.urls import path

from jalin.documents import views

app_name = "documents"
urlpatterns = [
    path("upload/<int:agreement_pk>/", views.document_upload, name="upload"),
    path("<int:pk>/download/", views.document_download, name="download"),
    path("<int:pk>/archive/", views.document_archive, name="archive"),
    path("bulk/", views.bulk_upload, name="bulk_upload"),
    path("bulk/<int:pk>/", views.bulk_detail, name="bulk"),
    path("bulk/<int:pk>/items/<int:item_pk>/assign/", views.bulk_assign, name="bulk_assign"),
    path("scan/", views.scan_upload, name="scan_upload"),
    path("scan/<int:pk>/", views.scan_proposals, name="scan"),
]
