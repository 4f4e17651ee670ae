"""The user pages: log in, log out, a profile that shows its owner the API key, and a password change."""
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
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


def _active_user(name):
    try:
        return User.objects.get(name=name, is_active=True)
    except User.DoesNotExist:
        raise Http404(f"No user named {name}") from None


def _profile(request, user, password_form=None, status=200):
    """The profile page; its owner also gets the password form (bound, with its errors, after a failed change)."""
    is_owner = request.user.is_authenticated and request.user.pk == user.pk
    if is_owner and password_form is None:
        password_form = PasswordChangeForm(user)
    context = {
        "profile": user,
        "show_private": may_see_private_fields(request.user, user),
        "password_form": password_form if is_owner else None,
    }
    return render(request, "accounts/user_read.html", context, status=status)


def read(request, name):
    """A user's profile page."""
    return _profile(request, _active_user(name))


@require_http_methods(["POST"])
def password_change(request, name):
    """Change one's own password from one's profile page: the old password, then the new one twice.

    Django's PasswordChangeForm checks the old password and runs
    AUTH_PASSWORD_VALIDATORS on the new one; the session stays logged in
    (update_session_auth_hash), other sessions of the user end. Only the user
    themself may: a sysadmin sets other passwords in the admin.
    """
    user = _active_user(name)
    if not request.user.is_authenticated or request.user.pk != user.pk:
        raise PermissionDenied("Only the user may change their password here")
    form = PasswordChangeForm(user, request.POST)
    if not form.is_valid():
        return _profile(request, user, password_form=form, status=400)
    form.save()
    update_session_auth_hash(request, form.user)
    messages.success(request, "Your password has been changed.")
    return redirect("accounts:read", name=user.name)
