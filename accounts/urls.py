from django.urls import path

from accounts import views

app_name = "accounts"

# login, logout and me come before <name>: they are not user names here.
urlpatterns = [
    path("user/login", views.UserLoginView.as_view(), name="login"),
    path("user/logout", views.logout_view, name="logout"),
    path("user/me", views.me, name="me"),
    path("user/<str:name>", views.read, name="read"),
    path("user/<str:name>/password", views.password_change, name="password-change"),
]
