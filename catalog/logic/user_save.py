"""Finding users by reference and writing validated user dicts."""
import uuid

from django.db.models import Q

from accounts.models import User


def find_user(ref):
    """The user with name or id `ref` (a User passes through), or None."""
    if isinstance(ref, User):
        return ref
    if not isinstance(ref, str) or not ref:
        return None
    query = Q(name=ref)
    try:
        query |= Q(id=uuid.UUID(ref))
    except ValueError:
        pass
    return User.objects.filter(query).first()


def save_user(data, user=None, *, new_id=None):
    """Create or update a user from `validate_user`'s result; returns the User.

    `new_id`: the id a new user keeps (schemas.chosen_id). A `password_hash`
    (sysadmins only, validated) is stored as it is.
    """
    user = user or User()
    if new_id:
        user.id = uuid.UUID(new_id)
    for field in ("name", "email", "fullname", "about"):
        if field in data:
            setattr(user, field, data[field])
    if "password" in data:
        user.set_password(data["password"])
    elif "password_hash" in data:
        if data["password_hash"]:
            user.password = data["password_hash"]
        else:
            user.set_unusable_password()
    user.save()
    return user
