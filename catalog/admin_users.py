"""The admin for users: search, filters, and the actions for sysadmin rights and API keys.

It lives in the catalog, not in accounts, because its actions call the
catalog's actions (`user_sysadmin_update`, `user_generate_apikey`) and
accounts imports nothing of the catalog.
"""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.models import User
from catalog.admin_actions import run_for_each


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("name", "email")


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        widgets = {"fullname": admin.widgets.AdminTextInputWidget(), "email": admin.widgets.AdminTextInputWidget()}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users by name; the API key is shown, and changed only by the reset action."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ("name", "fullname", "email", "sysadmin", "is_active", "joined")
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

    class Media:
        css = {"all": ("catalog/admin.css",)}

    @admin.display(description="joined", ordering="created")
    def joined(self, obj):
        return obj.created.date()

    @admin.action(description="Make the selected users sysadmins")
    def make_sysadmin(self, request, queryset):
        made = run_for_each(self, request, queryset.filter(sysadmin=False), "user_sysadmin_update",
                            lambda user: {"id": str(user.pk), "sysadmin": True}, "Made sysadmin")
        if not made:
            self.message_user(request, "0 user(s) made sysadmin: they already were.")

    @admin.action(description="Reset the API keys of the selected users")
    def reset_api_key(self, request, queryset):
        run_for_each(self, request, queryset, "user_generate_apikey", lambda user: {"id": str(user.pk)},
                     "New API keys (the old keys no longer work)")
