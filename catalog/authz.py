"""Who may do what: roles, the actions each role allows, and the rules on top.

The rules are pure functions of the user and the role assignments on the
object (`is_authorized`); `roles_on` and friends load those assignments from
the database. A role is held by a user, an authorization group, or one of
the pseudo-users `visitor` (everybody, logged in or not) and `logged_in`.
"""
from django.conf import settings

# Permissions, named as CKAN 1.6 named them.
READ = "read"
EDIT = "edit"
CHANGE_STATE = "change-state"
PURGE = "purge"
EDIT_PERMISSIONS = "edit-permissions"
PACKAGE_CREATE = "create-package"
GROUP_CREATE = "create-group"
SITE_READ = "read-site"
USER_READ = "read-user"
USER_CREATE = "create-user"

ALL_ACTIONS = frozenset(
    {READ, EDIT, CHANGE_STATE, PURGE, EDIT_PERMISSIONS, PACKAGE_CREATE, GROUP_CREATE, SITE_READ, USER_READ, USER_CREATE}
)

ROLE_ACTIONS = {
    "admin": ALL_ACTIONS,
    "editor": frozenset({READ, EDIT, SITE_READ, USER_READ, USER_CREATE, PACKAGE_CREATE, GROUP_CREATE}),
    "anon_editor": frozenset({READ, EDIT, SITE_READ, USER_READ, PACKAGE_CREATE}),
    "reader": frozenset({READ, SITE_READ, USER_READ}),
}

# What may still be done to a deleted object, and only by its admins.
DELETED_OBJECT_ROLES = frozenset({"admin"})


def is_logged_in(user):
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_sysadmin(user):
    return is_logged_in(user) and bool(getattr(user, "sysadmin", False))


def holders_of(user, authorization_group_ids=()):
    """The role holders a user counts as: keys like ("user", id), ("pseudo", "visitor")."""
    holders = {("pseudo", "visitor")}
    if is_logged_in(user):
        holders.add(("pseudo", "logged_in"))
        holders.add(("user", str(user.pk)))
        holders.update(("authz", str(gid)) for gid in authorization_group_ids)
    return holders


def roles_held(user, assignments, authorization_group_ids=()):
    """The roles `user` holds among `assignments`, an iterable of (holder, role)."""
    holders = holders_of(user, authorization_group_ids)
    return {role for holder, role in assignments if holder in holders}


def is_authorized(user, action, assignments, *, state="active", authorization_group_ids=()):
    """May `user` do `action` on an object with these role assignments and state?

    Sysadmins may do anything. On a deleted object only its admins may act
    (read it, restore it, edit it). Otherwise any held role allowing the
    action is enough.
    """
    if is_sysadmin(user):
        return True
    roles = roles_held(user, assignments, authorization_group_ids)
    if state == "deleted" and not roles & DELETED_OBJECT_ROLES:
        return False
    return any(action in ROLE_ACTIONS.get(role, ()) for role in roles)


def system_assignments():
    """Roles on the system: the configured defaults plus any granted explicitly."""
    from catalog.models import RoleAssignment

    assignments = [
        (("pseudo", pseudo), role)
        for pseudo, roles in settings.CKAN_DEFAULT_ROLES.get("system", {}).items()
        for role in roles
    ]
    rows = RoleAssignment.objects.filter(package__isnull=True, group__isnull=True)
    assignments.extend(assignment_key(row) for row in rows)
    return assignments


def assignment_key(row):
    """(holder, role) of a RoleAssignment row."""
    if row.user_id:
        holder = ("user", str(row.user_id))
    elif row.authorization_group_id:
        holder = ("authz", str(row.authorization_group_id))
    else:
        holder = ("pseudo", row.pseudo_user)
    return holder, row.role


def object_assignments(obj):
    """(holder, role) pairs on a Package or Group, from the database."""
    from catalog.models import Group, Package, RoleAssignment

    if isinstance(obj, Package):
        rows = RoleAssignment.objects.filter(package=obj)
    elif isinstance(obj, Group):
        rows = RoleAssignment.objects.filter(group=obj)
    else:
        raise TypeError(f"Roles are held on packages, groups or the system, not {obj!r}")
    return [assignment_key(row) for row in rows]


def user_authorization_group_ids(user):
    if not is_logged_in(user):
        return ()
    return tuple(str(pk) for pk in user.authorization_groups.values_list("pk", flat=True))


def check(user, action, obj=None):
    """May `user` do `action` on `obj` (a Package, a Group, or None for the system)?"""
    if is_sysadmin(user):
        return True
    if obj is None:
        assignments, state = system_assignments(), "active"
    else:
        assignments, state = object_assignments(obj), obj.state
    return is_authorized(
        user, action, assignments, state=state, authorization_group_ids=user_authorization_group_ids(user)
    )


def default_assignments(kind):
    """The (pseudo-user, role) pairs every new object of `kind` starts with."""
    return [
        (pseudo, role)
        for pseudo, roles in settings.CKAN_DEFAULT_ROLES.get(kind, {}).items()
        for role in roles
    ]


def setup_default_roles(obj, creator):
    """Give a new package or group its default roles, and its creator `admin`."""
    from catalog.models import Group, Package, RoleAssignment

    kind = "package" if isinstance(obj, Package) else "group"
    target = {"package": obj} if isinstance(obj, Package) else {"group": obj}
    if not isinstance(obj, (Package, Group)):
        raise TypeError(obj)
    rows = [RoleAssignment(pseudo_user=pseudo, role=role, **target) for pseudo, role in default_assignments(kind)]
    if is_logged_in(creator):
        rows.append(RoleAssignment(user=creator, role="admin", **target))
    from catalog import bulk

    bulk.insert(rows)
