"""The Django admin's app config: its site is Jalin's (second factor required, see admin_site.py).
Kept apart from admin_site.py, which imports models and so cannot load with the app registry."""

from django.contrib.admin.apps import AdminConfig


class JalinAdminConfig(AdminConfig):
    default_site = "jalin.accounts.admin_site.JalinAdminSite"
