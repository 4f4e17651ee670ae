from django.urls import path, re_path

from actionapi import views

urlpatterns = [
    path("api/action/<str:name>", views.action, name="action"),
    path("api/3/action/<str:name>", views.action, name="action-v3"),
]
