"""The user pages: log in, log out, and a profile that shows its owner the API key."""
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.models import User


class UserLoginView(LoginView):
    """Django's login by name and password, with the site's template."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def logout_view(request):
    """Log out on POST (the form in every page's header); a GET shows a small confirm form.

    A logout by GET would let any page log its visitors out of this site with
    an `<img>`; the form carries a CSRF token, so only this site can post it.
    """
    if request.method != "POST":
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        return render(request, "accounts/logout_confirm.html")
    was_logged_in = request.user.is_authenticated
    logout(request)
    if was_logged_in:
        messages.info(request, "You have been logged out.")
    return redirect("accounts:login")


def me(request):
    """The logged-in user's own page, or the login page for anybody else."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={reverse('accounts:me')}")
    return redirect("accounts:read", name=request.user.name)


def may_see_private_fields(viewer, user):
    """The API key and email are for the user and for sysadmins only."""
    if not viewer.is_authenticated:
        return False
    return viewer.pk == user.pk or bool(getattr(viewer, "sysadmin", False))


def read(request, name):
    """A user's profile page."""
    try:
        user = User.objects.get(name=name, is_active=True)
    except User.DoesNotExist:
        raise Http404(f"No user named {name}") from None
    context = {"profile": user, "show_private": may_see_private_fields(request.user, user)}
    return render(request, "accounts/user_read.html", context)
