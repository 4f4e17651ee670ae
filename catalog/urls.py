from django.urls import path

from catalog import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dataset/<str:name>", views.dataset_read, name="dataset-read"),
    path("group/<str:name>", views.group_read, name="group-read"),
]
