from django.urls import path

from jalin.governments import views

app_name = "agencies"
urlpatterns = [
    path("", views.agency_list, name="list"),
    path("new/", views.agency_create, name="create"),
    path("<int:pk>/edit/", views.agency_edit, name="edit"),
    path("<int:pk>/archive/", views.agency_archive, name="archive"),
    path("<int:pk>/restore/", views.agency_restore, name="restore"),
]
