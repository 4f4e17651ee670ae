"""Roles held on datasets and groups, as roles_show and user_role_update see them.

A role holder is a user, an authorization group, or one of the pseudo-users
`visitor` and `logged_in` (named like users, as they were users in CKAN
1.6). Roles are not versioned, so changing them makes no revision.
"""
from django.db.models import Q

from catalog.logic.errors import NotFound, ValidationError
from catalog.logic.user_save import find_user
from catalog.models import AuthorizationGroup, Group, Package, RoleAssignment


class Holder:
    """Who holds a role: kind is "user", "authorization_group" or "pseudo"."""

    def __init__(self, kind, obj):
        self.kind, self.obj = kind, obj

    @property
    def id(self):
        return self.obj if self.kind == "pseudo" else str(self.obj.pk)

    def filter(self):
        if self.kind == "user":
            return {"user": self.obj}
        if self.kind == "authorization_group":
            return {"authorization_group": self.obj}
        return {"pseudo_user": self.obj}


def find_domain_object(ref):
    """The dataset, else the group, with id or name `ref`; NotFound otherwise."""
    if isinstance(ref, str) and ref:
        query = Q(id=ref) | Q(name=ref)
        found = Package.objects.filter(query).first() or Group.objects.filter(query).first()
        if found is not None:
            return found
    raise NotFound(f"Domain object not found: {ref!r}")


def find_user_holder(ref):
    if ref in RoleAssignment.PSEUDO_USERS:
        return Holder("pseudo", ref)
    user = find_user(ref)
    if user is None:
        raise NotFound(f"Cannot find user {ref!r}")
    return Holder("user", user)


def find_authorization_group_holder(ref):
    group = None
    if isinstance(ref, str) and ref:
        group = AuthorizationGroup.objects.filter(Q(id=ref) | Q(name=ref)).first()
    if group is None:
        raise NotFound(f"Cannot find authorization group {ref!r}")
    return Holder("authorization_group", group)


def _target(obj):
    return {"package": obj} if isinstance(obj, Package) else {"group": obj}


def domain_object_type(obj):
    return "Package" if isinstance(obj, Package) else "Group"


def role_dictize(row, obj):
    result = {
        "id": str(row.pk),
        "role": row.role,
        "context": domain_object_type(obj),
        "user_id": str(row.user_id) if row.user_id else (row.pseudo_user or None),
        "authorized_group_id": row.authorization_group_id,
    }
    result["package_id" if isinstance(obj, Package) else "group_id"] = obj.id
    return result


def roles_show_dict(obj, holder=None, authorization_group=None):
    """roles_show's result: the roles on `obj`, optionally only those of one holder."""
    rows = RoleAssignment.objects.filter(**_target(obj))
    for selected in (holder, authorization_group):
        if selected is not None:
            rows = rows.filter(**selected.filter())
    result = {
        "domain_object_type": domain_object_type(obj),
        "domain_object_id": obj.id,
        "roles": [role_dictize(row, obj) for row in rows.order_by("pk")],
    }
    if holder is not None:
        result["user"] = holder.id
    if authorization_group is not None:
        result["authorization_group"] = authorization_group.id
    return result


def clean_roles(roles, field="roles"):
    """The set of role names in `roles`; ValidationError for an unknown one or a non-list."""
    if not isinstance(roles, (list, tuple)):
        raise ValidationError({field: ["Must be a list of role names"]})
    unknown = [role for role in roles if role not in RoleAssignment.ROLES]
    if unknown:
        raise ValidationError(
            {field: [f"Unknown role {role!r}: roles are {', '.join(RoleAssignment.ROLES)}" for role in unknown]}
        )
    return set(roles)


def set_roles(obj, holder, roles):
    """Make `holder`'s roles on `obj` exactly `roles` (call inside a transaction)."""
    rows = RoleAssignment.objects.filter(**_target(obj), **holder.filter())
    current = {row.role: row for row in rows}
    for role, row in current.items():
        if role not in roles:
            row.delete()
    for role in sorted(roles - set(current)):
        RoleAssignment.objects.create(role=role, **_target(obj), **holder.filter())


def editable_groups(user):
    """Active groups `user` may edit (and so put datasets into), as a queryset.

    The same rule as `authz.check(user, EDIT, group)`, as one query: any role
    allowing EDIT held by the user, their authorization groups or a
    pseudo-user they count as.
    """
    from catalog import authz

    groups = Group.objects.filter(state="active")
    if authz.is_sysadmin(user):
        return groups
    edit_roles = [role for role, actions in authz.ROLE_ACTIONS.items() if authz.EDIT in actions]
    holders = Q(pseudo_user="visitor")
    if authz.is_logged_in(user):
        holders |= Q(pseudo_user="logged_in") | Q(user=user)
        group_ids = authz.user_authorization_group_ids(user)
        if group_ids:
            holders |= Q(authorization_group__in=group_ids)
    granted = RoleAssignment.objects.filter(holders, role__in=edit_roles, group__isnull=False)
    return groups.filter(id__in=granted.values("group_id"))
