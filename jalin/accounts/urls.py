from django.contrib.auth import views as auth_views
from django.urls import path

from jalin.accounts import account_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.verify, name="two-factor-verify"),
    path("login/enrol/", views.enrol, name="two-factor-enrol"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account_views.account, name="account"),
    path("account/2fa/", views.two_factor_settings, name="two-factor-settings"),
    path("account/password/", account_views.PasswordChangeView.as_view(), name="password-change"),
    path("account/tokens/", account_views.api_tokens, name="api-tokens"),
    path("account/tokens/<int:pk>/revoke/", account_views.api_token_revoke, name="api-token-revoke"),
    path("account/session/keepalive/", account_views.session_keepalive, name="session-keepalive"),
    path("account/officers/", account_views.officers, name="officers"),
    path(
        "account/officers/<int:pk>/reset-password/", account_views.officer_password_reset, name="officer-password-reset"
    ),
    path("password-reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
