from django.urls import path

from catalog import account_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("dataset", views.dataset_search, name="dataset-search"),
    path("dataset/<str:name>", views.dataset_read, name="dataset-read"),
    path("tag/<str:name>", views.tag_read, name="tag-read"),
    path("group", views.group_index, name="group-index"),
    path("group/<str:name>", views.group_read, name="group-read"),
    path("user/<str:name>/api-key", account_views.apikey_reset, name="apikey-reset"),
]
