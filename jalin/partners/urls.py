from django.urls import path

app_name = "partners"
urlpatterns: list = []
