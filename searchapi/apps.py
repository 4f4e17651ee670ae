from django.apps import AppConfig


class SearchapiConfig(AppConfig):
    """Search: the Haystack index kept in step with the catalog, and the Search API."""

    name = "searchapi"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from catalog.logic import registry
        from catalog.signals import packages_changed, packages_changing
        from searchapi.indexing import on_packages_changed, record_changing

        packages_changing.connect(record_changing, dispatch_uid="searchapi_record_changing")
        packages_changed.connect(on_packages_changed, dispatch_uid="searchapi_index_packages")
        # The search actions (package_search, resource_search, autocompletes) and who may run them.
        registry.register_module("searchapi.logic", read_only=True)
        registry.register_auth_module("searchapi.auth")
        from catalog.logic import descriptions
        from searchapi import descriptions as search_descriptions

        descriptions.register(search_descriptions.REQUESTS, search_descriptions.RESULTS)
