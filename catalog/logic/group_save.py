"""Writing a validated group dict to the database (inside the caller's revision).

What the rows saved here change for datasets (their membership, the group's
name or title in their dicts) is found by the write's change set (catalog.changes).
"""
from django.db.models import Q

from catalog.logic.errors import NotFound
from catalog.models import STATE_ACTIVE, STATE_DELETED, Group, GroupExtra, Member

GROUP_FIELDS = ["name", "title", "description", "type", "state"]


def find_group(ref):
    """The group with id or name `ref`, or None."""
    if not isinstance(ref, str) or not ref:
        return None
    return Group.objects.filter(Q(id=ref) | Q(name=ref)).first()


def group_for_action(context, ref):
    """The group an action names (NotFound otherwise), kept in the context for its auth function."""
    group = find_group(ref)
    if group is None:
        raise NotFound("Group was not found")
    context["group"] = group
    return group


def save_group(data, group=None, *, partial=False, new_id=None):
    """Create or update a group from `validate_group`'s result; returns the Group.

    A full save (`partial=False`, CKAN 1.6's group_update) replaces extras and
    datasets with what `data` holds, so absent ones are removed. A partial
    save (the REST update) keeps what `data` does not mention. `new_id`:
    the id a new group keeps (schemas.chosen_id).
    """
    group = group or Group()
    if new_id:  # a new group keeping a sysadmin's chosen id (validated)
        group.id = new_id
    for field in GROUP_FIELDS:
        if field in data:
            setattr(group, field, data[field])
    group.save()

    if "extras" in data or not partial:
        _save_extras(group, data.get("extras", {}), replace=True)
    if "packages" in data or not partial:
        _save_members(group, data.get("packages", []))
    return group


def delete_group(group):
    """Mark `group` deleted; its datasets leave it in their dicts and search documents."""
    group.state = STATE_DELETED
    group.save()


def _save_extras(group, extras, *, replace):
    existing = {extra.key: extra for extra in group.extras.all()}
    for key, value in extras.items():
        extra = existing.get(key)
        if value is None:
            if extra is not None and extra.state != STATE_DELETED:
                extra.state = STATE_DELETED
                extra.save()
            continue
        if extra is None:
            GroupExtra.objects.create(group=group, key=key, value=value)
        elif extra.value != value or extra.state != STATE_ACTIVE:
            extra.value, extra.state = value, STATE_ACTIVE
            extra.save()
    if replace:
        for key, extra in existing.items():
            if key not in extras and extra.state != STATE_DELETED:
                extra.state = STATE_DELETED
                extra.save()


def _save_members(group, packages):
    # In package-id order, like a dataset's memberships (catalog.logic.save), so
    # writers touching the same rows take their locks in one order.
    wanted = {package.id: package for package in sorted(packages, key=lambda package: package.id)}
    existing = {
        member.package_id: member for member in group.memberships.select_related("package").order_by("package_id")
    }
    for package_id, member in existing.items():
        should_be = STATE_ACTIVE if package_id in wanted else STATE_DELETED
        if member.state != should_be:
            member.state = should_be
            member.save()
    for package_id, package in wanted.items():
        if package_id not in existing:
            Member.objects.create(group=group, package=package)
