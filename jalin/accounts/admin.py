from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from jalin.accounts.models import TOTPDevice, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "government", "agency", "is_active")
    list_filter = ("role", "is_active", "government__level")
    search_fields = ("username", "first_name", "last_name", "email")
    raw_id_fields = ("government", "agency")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Jalin role"), {"fields": ("government", "role", "agency", "title", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Jalin role"), {"fields": ("government", "role", "agency")}),
    )

    def has_delete_permission(self, request, obj=None) -> bool:
        # Users are deactivated, never deleted: the audit trail points at them.
        return False


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Lets a superuser switch off the two-factor device of a user who lost their phone."""

    list_display = ("user", "confirmed_at", "created_at")
    list_filter = (("confirmed_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username",)
    fields = ("user", "confirmed_at", "created_at")
    readonly_fields = ("user", "created_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
