from django.urls import path

from jalin.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("app/", views.dashboard, name="staff-home"),
]
