from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The domain: datasets, groups, tags, roles, revisions and the actions on them."""

    name = "catalog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import reversion

        from catalog import models, revisions  # noqa: F401  (connects the revision link)

        for model in (
            models.Package,
            models.Resource,
            models.PackageTag,
            models.PackageExtra,
            models.Group,
            models.GroupExtra,
            models.Member,
            models.PackageRelationship,
        ):
            if not reversion.is_registered(model):
                reversion.register(model)

        from catalog.logic import registry

        for verb in ("get", "create", "update", "delete"):
            registry.register_module(f"catalog.logic.action.{verb}", read_only=verb == "get")
            registry.register_auth_module(f"catalog.logic.auth.{verb}")
