"""Model API routes, mounted under /api/rest and /api/1/rest (v1) and /api/2/rest (v2).

No trailing slashes: clients of CKAN 1.6 do not follow redirects. The fixed
sub-paths of a dataset (`relationships`, `revisions`) come before the
relationship-type patterns that would otherwise swallow them.
"""
from django.urls import path

from actionapi.rest import views

# (URL prefix, API version, URL name prefix)
PREFIXES = [("api/rest", 1, "rest"), ("api/1/rest", 1, "rest1"), ("api/2/rest", 2, "rest2")]


def _routes(prefix, version, label):
    def route(suffix, view, name):
        return path(f"{prefix}/{suffix}", view.as_view(api_version=version), name=f"{label}-{name}")

    routes = []
    for register in ("dataset", "package"):
        routes += [
            route(register, views.DatasetRegister, f"{register}-register"),
            route(f"{register}/<str:ref>", views.DatasetEntity, f"{register}-entity"),
            route(f"{register}/<str:ref>/relationships", views.RelationshipsRegister, f"{register}-relationships"),
            route(
                f"{register}/<str:ref>/relationships/<str:other>",
                views.RelationshipsWithRegister,
                f"{register}-relationships-with",
            ),
            route(f"{register}/<str:ref>/revisions", views.DatasetRevisions, f"{register}-revisions"),
            route(f"{register}/<str:ref>/<str:rel_type>", views.RelationshipsOfTypeRegister, f"{register}-rel-type"),
            route(
                f"{register}/<str:ref>/<str:rel_type>/<str:other>",
                views.RelationshipEntity,
                f"{register}-relationship",
            ),
        ]
    routes += [
        route("group", views.GroupRegister, "group-register"),
        route("group/<str:ref>", views.GroupEntity, "group-entity"),
        route("tag", views.TagRegister, "tag-register"),
        route("tag/<str:tag>", views.TagEntity, "tag-entity"),
        route("rating", views.RatingRegister, "rating-register"),
        route("revision", views.RevisionRegister, "revision-register"),
        route("revision/<str:revision_id>", views.RevisionEntity, "revision-entity"),
        route("licenses", views.LicenseList, "licenses"),
    ]
    return routes


urlpatterns = [pattern for prefix, version, label in PREFIXES for pattern in _routes(prefix, version, label)]
