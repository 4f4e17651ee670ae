from django.urls import path

from searchapi import views

VERSIONS = [("api", 1), ("api/1", 1), ("api/2", 2), ("api/3", 3)]

urlpatterns = [
    path(f"{prefix}/search/{register}", view, {"version": version}, name=f"search-{register}-{prefix}")
    for prefix, version in VERSIONS
    for register, view in [
        ("dataset", views.dataset_search),
        ("package", views.dataset_search),
        ("resource", views.resource_search),
        ("revision", views.revision_search),
    ]
] + [
    path("api/tag_counts", views.tag_counts, {"version": 1}, name="tag-counts"),
    path("api/1/tag_counts", views.tag_counts, {"version": 1}, name="tag-counts-v1"),
    path("api/2/tag_counts", views.tag_counts, {"version": 2}, name="tag-counts-v2"),
]
