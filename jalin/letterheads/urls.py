from django.urls import path

from jalin.letterheads import views

app_name = "letterheads"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/upload/", views.upload, name="upload"),
    path("<slug:kind>/revert/", views.revert, name="revert"),
    path("<slug:kind>/template.docx", views.download, name="download"),
]
