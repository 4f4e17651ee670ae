"""The user name django-axes counts failed logins under.

Django's AuthenticationForm calls authenticate(username=...) and reports a
failure with `username`, while backends may be asked with the model's
USERNAME_FIELD (`name`): both must count as the same user name, or a lockout
would never match.
"""


def login_username(request, credentials=None):
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("name")
    if name is None and request is not None and request.method == "POST":
        name = request.POST.get("username")
    return name
