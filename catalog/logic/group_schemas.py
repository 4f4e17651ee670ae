"""Validation of group dicts: CKAN 1.6's group schema as a plain function.

`validate_group` returns a cleaned dict holding only the keys the client
sent (so the action decides what an absent key means), or raises
ValidationError({field: [messages]}). Keys a group read returns but a
write cannot set are ignored, so a read can be posted back; so are other
unknown keys, as CKAN 1.6's group schema ignored them.
"""
import json

from django.db.models import Q

from catalog.logic import validators
from catalog.logic.errors import ValidationError
from catalog.models import STATE_ACTIVE, STATE_DELETED, Group, Package

GROUP_TEXT_FIELDS = ["title", "description", "type"]
GROUP_STATES = {STATE_ACTIVE, STATE_DELETED}
NAME_TAKEN = "Group name already exists in database"
TYPE_MAX_LENGTH = 100


def _text(value):
    """(cleaned, messages) for a free-text value: numbers become strings, null becomes ""."""
    if value is None:
        return "", []
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None, ["Must be a string"]
    return str(value), []


def dataset_list_key(data):
    """The key holding a group's dataset list: CKAN 1.6's `packages`, or the spec's `datasets`."""
    if "packages" in data:
        return "packages"
    if "datasets" in data:
        return "datasets"
    return None


def validate_group(data, *, group=None):
    """The cleaned group dict; `group` is the group being updated (None on create).

    Result keys: name, title, description, type, state (each only if sent),
    extras ({key: value or None to delete}) and packages ([Package]) when sent.
    """
    if not isinstance(data, dict):
        raise ValidationError({"message": ["A group must be a JSON object"]})
    errors = {}
    cleaned = {}

    def add(field, messages):
        if messages:
            errors.setdefault(field, []).extend(messages)

    if "name" in data or group is None:
        name = data.get("name")
        if name in (None, ""):
            add("name", ["Missing value"])
        else:
            messages = validators.name_errors(name)
            if not messages:
                taken = Group.objects.filter(name=name)
                if group is not None:
                    taken = taken.exclude(pk=group.pk)
                if taken.exists():
                    messages = [NAME_TAKEN]
            add("name", messages)
            cleaned["name"] = name

    for field in GROUP_TEXT_FIELDS:
        if field in data:
            value, messages = _text(data[field])
            add(field, messages)
            cleaned[field] = value
    if cleaned.get("type") == "":
        cleaned["type"] = "group"
    if len(cleaned.get("type") or "") > TYPE_MAX_LENGTH:
        add("type", [f"Type must be a maximum of {TYPE_MAX_LENGTH} characters long"])

    if data.get("state") not in (None, ""):
        if not isinstance(data["state"], str) or data["state"] not in GROUP_STATES:
            add("state", [f"State must be one of: {', '.join(sorted(GROUP_STATES))}"])
        cleaned["state"] = data["state"]

    if "extras" in data:
        extras, messages = _clean_extras(data["extras"])
        add("extras", messages)
        cleaned["extras"] = extras

    key = dataset_list_key(data)
    if key is not None:
        packages, messages = _resolve_packages(data[key])
        add(key, messages)
        cleaned["packages"] = packages

    if errors:
        raise ValidationError(errors)
    return cleaned


def _extra_value(value):
    """Extras are stored as text: strings as they are, other JSON values encoded."""
    if value is None or isinstance(value, str):
        return value or ""
    return json.dumps(value, ensure_ascii=False)


def _clean_extras(extras):
    """({key: value-or-None}, messages) from a list of {key, value[, deleted]} or a {key: value} object."""
    if isinstance(extras, dict):
        items = [{"key": key, "value": value} for key, value in extras.items()]
    elif isinstance(extras, list):
        items = extras
    else:
        return {}, ["Extras must be a list of {key, value} objects or an object"]
    cleaned, messages = {}, []
    for item in items:
        if not isinstance(item, dict):
            messages.append("Each extra must be an object with key and value")
            continue
        key = item.get("key")
        key_messages = validators.extra_key_errors(key)
        if key_messages:
            messages.extend(f"key: {m}" for m in key_messages)
            continue
        deleted = item.get("deleted") not in (None, False, "", 0, "0", "false", "False")
        cleaned[key] = None if deleted else _extra_value(item.get("value"))
    return cleaned, messages


def _resolve_packages(refs):
    """([Package], messages) for dataset references: names, ids, or objects with `id` or `name`."""
    if not isinstance(refs, list):
        return [], ["Must be a list of datasets"]
    wanted, messages = [], []
    for item in refs:
        ref = (item.get("id") or item.get("name")) if isinstance(item, dict) else item
        if not isinstance(ref, str) or not ref:
            messages.append("Each dataset must be a name, an id, or an object with id or name")
            continue
        wanted.append(ref)
    by_ref = {}
    for package in Package.objects.filter(Q(id__in=wanted) | Q(name__in=wanted)):
        by_ref[package.id] = package
        by_ref.setdefault(package.name, package)
    packages = []
    for ref in wanted:
        package = by_ref.get(ref)
        if package is None:
            messages.append(f"Package was not found: {ref}")
        elif package not in packages:
            packages.append(package)
    return packages, messages
