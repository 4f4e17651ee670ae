from django.apps import AppConfig


class ActionapiConfig(AppConfig):
    """The HTTP API surfaces (Action, REST, Util) over the catalog's actions."""

    name = "actionapi"
    default_auto_field = "django.db.models.BigAutoField"
