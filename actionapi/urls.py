from django.urls import include, path

from actionapi import openapi, views

urlpatterns = [
    path("api", views.api_version, name="api-version"),
    path("api/", views.api_version, name="api-version-slash"),
    path("api/1", views.api_version, {"version": 1}, name="api-version-1"),
    path("api/2", views.api_version, {"version": 2}, name="api-version-2"),
    path("api/3", views.api_version, {"version": 3}, name="api-version-3"),
    path("api/action/<str:name>", views.action, name="action"),
    path("api/3/action/<str:name>", views.action, name="action-v3"),
    path("", include("actionapi.rest.urls")),
    path("", include("actionapi.util")),
    path("api/openapi.json", openapi.OpenApiView.as_view(), name="openapi"),
]
