from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Identity: users, API keys and the pages to log in and read one's key."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
