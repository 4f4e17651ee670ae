from django.urls import path

from catalog import account_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dataset/<str:name>", views.dataset_read, name="dataset-read"),
    path("group/<str:name>", views.group_read, name="group-read"),
    path("user/<str:name>/api-key", account_views.apikey_reset, name="apikey-reset"),
]
