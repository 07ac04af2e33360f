from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from jalin.accounts import two_factor
from jalin.accounts.models import User


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

    actions = ["reset_second_factor_action"]

    @admin.action(description=_("Reset the second factor (the user enrols again at the next login)"))
    def reset_second_factor_action(self, request, queryset):
        """For a user who lost their phone and their recovery codes; audited."""
        for user in queryset:
            two_factor.two_factor_reset(actor=request.user, user=user)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Users are deactivated, never deleted: the audit trail points at them.
        return False
