"""The Django admin for users: search, filters, and actions for sysadmin rights and API keys."""
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.models import User


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("name", "email")


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users by name; the API key is shown, and changed only by the reset action."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ("name", "fullname", "email", "sysadmin", "is_active", "created")
    list_filter = ("sysadmin", "is_active")
    search_fields = ("name", "fullname", "email")
    ordering = ("name",)
    filter_horizontal = ()
    readonly_fields = ("id", "apikey", "created", "last_login")
    fieldsets = (
        (None, {"fields": ("id", "name", "password")}),
        ("Profile", {"fields": ("fullname", "email", "about")}),
        ("Rights and keys", {"fields": ("sysadmin", "is_active", "apikey", "reset_key")}),
        ("Dates", {"fields": ("created", "last_login")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("name", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
    actions = ["make_sysadmin", "reset_api_key"]

    @admin.action(description="Make the selected users sysadmins")
    def make_sysadmin(self, request, queryset):
        count = 0
        for user in queryset.filter(sysadmin=False):
            user.sysadmin = True
            user.save(update_fields=["sysadmin"])
            count += 1
        self.message_user(request, f"{count} user(s) made sysadmin.", messages.SUCCESS)

    @admin.action(description="Reset the API keys of the selected users")
    def reset_api_key(self, request, queryset):
        count = 0
        for user in queryset:
            user.reset_api_key()
            count += 1
        self.message_user(request, f"{count} API key(s) reset; the old keys no longer work.", messages.SUCCESS)
