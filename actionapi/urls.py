from django.urls import include, path

from actionapi import openapi, views

urlpatterns = [
    path("api/action/<str:name>", views.action, name="action"),
    path("api/3/action/<str:name>", views.action, name="action-v3"),
    path("", include("actionapi.rest.urls")),
    path("", include("actionapi.util")),
    path("api/openapi.json", openapi.OpenApiView.as_view(), name="openapi"),
]
