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

handler400 = "ckansite.handlers.bad_request"
handler403 = "ckansite.handlers.permission_denied"
handler404 = "ckansite.handlers.page_not_found"
handler500 = "ckansite.handlers.server_error"
