"""The root URLconf: the API surfaces, the user pages and the admin."""
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("actionapi.urls")),
    path("", include("searchapi.urls")),
    path("", include("accounts.urls")),
    path("", include("catalog.urls")),
]
