from django.urls import path

app_name = "governments"
urlpatterns: list = []
