from django.apps import AppConfig


class SearchapiConfig(AppConfig):
    """Search: the Haystack index kept in step with the catalog, and the Search API."""

    name = "searchapi"
    default_auto_field = "django.db.models.BigAutoField"
