from django.urls import path

from jalin.agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new/", views.agreement_create, name="create"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/archive/", views.agreement_archive, name="archive"),
    path("<int:pk>/restore/", views.agreement_restore, name="restore"),
]
