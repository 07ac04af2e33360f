from django.contrib import admin

from jalin.governments.models import Affair, Government


@admin.register(Government)
class GovernmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Affair)
class AffairAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "group")
    list_filter = ("group",)
    search_fields = ("code", "name")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
