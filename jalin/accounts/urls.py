from django.contrib.auth import views as auth_views
from django.urls import path

from jalin.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.verify, name="two-factor-verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/2fa/", views.two_factor_settings, name="two-factor-settings"),
]
