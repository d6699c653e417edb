from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from apps.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "real_name", "org", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "real_name", "mobile"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("基本信息", {"fields": ("real_name", "mobile", "org", "role")}),
        ("状态", {"fields": ("is_active", "is_staff", "is_superuser", "must_change_password", "password_changed_at")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "real_name", "org", "role", "password1", "password2")}),)
    autocomplete_fields = ["org"]
