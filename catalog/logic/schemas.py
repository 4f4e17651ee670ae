"""Validation of what clients send: CKAN 1.6's schemas as plain functions.

Each `validate_*` function takes the client's dict and returns a cleaned
dict, or raises ValidationError({field: [messages]}) naming every failing
field at once. Nested lists (resources, tags, extras, relationships) report
per item: `{"resources": [{}, {"size": ["Invalid integer"]}]}`. Keys the
API itself returns on reads (id, revision_id, metadata_*, ratings_*,
notes_rendered...) are ignored, so a read can be posted back; any other
unknown top-level key is refused by name.
"""
import json
import uuid
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from catalog.logic import validators
from catalog.logic.errors import ValidationError
from catalog.models import STATE_CHOICES, Group, Package, PackageRelationship

# ---------------------------------------------------------------- packages

PACKAGE_TEXT_FIELDS = [
    "title", "url", "author", "author_email", "maintainer", "maintainer_email", "notes", "license_id", "type",
]
PACKAGE_LIST_FIELDS = ["resources", "tags", "extras", "groups", "relationships_as_subject", "relationships_as_object"]
# What a dataset read returns but a write cannot set: ignored when posted back.
PACKAGE_READ_ONLY = {
    "revision_id", "revision_timestamp", "metadata_created", "metadata_modified", "isopen", "notes_rendered",
    "license", "license_title", "license_url", "ratings_average", "ratings_count", "ckan_url", "download_url",
    "relationships", "tracking_summary", "warnings",
}
PACKAGE_KEYS = {"id", "name", "version", "state", "log_message"} | set(PACKAGE_TEXT_FIELDS) | set(PACKAGE_LIST_FIELDS)
STATES = {state for state, _ in STATE_CHOICES}
RESERVED_EXTRA_KEYS = PACKAGE_KEYS | PACKAGE_READ_ONLY

NAME_TAKEN = "That URL is already in use."


class _Errors:
    """Collects {field: [messages]} while a dict is checked."""

    def __init__(self):
        self.errors = {}

    def add(self, field, messages):
        if messages:
            self.errors.setdefault(field, []).extend(messages if isinstance(messages, list) else [messages])

    def raise_if_any(self):
        if self.errors:
            raise ValidationError(self.errors)


def _text(value, *, allow_none=False):
    """(cleaned, messages) for a free-text value: numbers become strings, null becomes ""."""
    if value is None:
        return (None if allow_none else ""), []
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None, ["Must be a string"]
    return str(value), []


def _list_of(value, field):
    if not isinstance(value, list):
        return [f"{field} must be a list"]
    return []


ID_TAKEN = "That id is already in use"
NEW_ID_REFUSED = "Cannot specify the id of a new object"


def chosen_id(value, model, *, allowed, refusal=NEW_ID_REFUSED):
    """(id, messages) for the id a client chose for a new object of `model`.

    Only sysadmins (`allowed`) may keep an id, so that a catalog dumped from
    one site loads into another with the same ids; it must be a UUID no
    object of `model` holds. No id given is (None, []).
    """
    if value in (None, ""):
        return None, []
    if not allowed:
        return None, [refusal]
    if not isinstance(value, str):
        return None, ["Must be a string"]
    try:
        canonical = uuid.UUID(value)
    except ValueError:
        return None, ["Must be a UUID"]
    key = canonical if model._meta.pk.get_internal_type() == "UUIDField" else str(canonical)
    if model.objects.filter(pk=key).exists():
        return None, [ID_TAKEN]
    return str(canonical), []


def _may_keep_ids(context):
    from catalog.logic import is_sysadmin

    return is_sysadmin((context or {}).get("user"))


def validate_package(data, context, *, package=None):
    """The cleaned package dict; `package` is the dataset being updated (None on create).

    Keys absent from `data` stay absent from the result, so the caller decides
    what an absent key means (keep on a REST update, empty on package_update).
    """
    errors = _Errors()
    cleaned = {}
    for key in data:
        if key not in PACKAGE_KEYS and key not in PACKAGE_READ_ONLY:
            errors.add(key, "The input field %s was not expected." % key)

    if package is None:
        if "id" in data:
            # A sysadmin may keep an id (loading a dumped catalog); others never choose one.
            new_id, messages = chosen_id(
                data["id"], Package, allowed=_may_keep_ids(context), refusal="The input field id was not expected."
            )
            errors.add("id", messages)
            if new_id:
                cleaned["id"] = new_id
                # Its resources' resource_group_id (one per dataset) moves with it.
                groups = {item.get("resource_group_id") for item in data.get("resources") or []
                          if isinstance(item, dict)} - {None, ""}
                if len(groups) == 1:
                    resource_group_id, _ = chosen_id(groups.pop(), Package, allowed=True)
                    if resource_group_id:
                        cleaned["resource_group_id"] = resource_group_id
    elif data.get("id") not in (None, "", package.id, package.name):
        errors.add("id", f"Cannot change value of key from {package.id} to {data.get('id')}. This key is read-only")

    if "name" in data or package is None:
        name = data.get("name")
        if name in (None, ""):
            errors.add("name", "Missing value")
        else:
            name, messages = _text(name)
            messages = messages or validators.name_errors(name)
            if not messages:
                taken = Package.objects.filter(name=name)
                if package is not None:
                    taken = taken.exclude(pk=package.pk)
                if taken.exists():
                    messages = [NAME_TAKEN]
            errors.add("name", messages)
            cleaned["name"] = name

    for field in PACKAGE_TEXT_FIELDS:
        if field in data:
            cleaned[field], messages = _text(data[field])
            max_length = Package._meta.get_field(field).max_length
            if not messages and max_length and len(cleaned[field]) > max_length:
                messages = [f"Must be a maximum of {max_length} characters long"]
            errors.add(field, messages)
    if "version" in data:
        version, messages = _text(data["version"])
        errors.add("version", messages or validators.version_errors(version))
        cleaned["version"] = version
    if package is None and not cleaned.get("title") and isinstance(cleaned.get("name"), str):
        cleaned["title"] = cleaned["name"]

    if "state" in data:
        if not isinstance(data["state"], str) or data["state"] not in STATES:
            errors.add("state", f"State must be one of: {', '.join(sorted(STATES))}")
        else:
            cleaned["state"] = data["state"]
    if data.get("log_message") is not None:
        cleaned["log_message"], messages = _text(data["log_message"])
        errors.add("log_message", messages)

    for field, check in (
        ("resources", _clean_resource),
        ("tags", _clean_tag),
        ("extras", _clean_extra),
        ("groups", _clean_group_ref),
        ("relationships_as_subject", _relationship_item_cleaner("object")),
        ("relationships_as_object", _relationship_item_cleaner("subject")),
    ):
        if field not in data:
            continue
        value = data[field]
        if value is None:
            value = []
        messages = _list_of(value, field)
        if not messages and len(value) > settings.CKAN_MAX_LIST_ITEMS:
            # Bounded so that no valid write outlives a server worker's timeout.
            messages = [f"A dataset may have at most {settings.CKAN_MAX_LIST_ITEMS} {field} (got {len(value)})"]
        if messages:
            errors.add(field, messages)
            continue
        items, item_errors = [], []
        for item in value:
            item_cleaned, item_messages = check(item)
            items.append(item_cleaned)
            item_errors.append(item_messages)
        if any(item_errors):
            errors.errors[field] = item_errors
        cleaned[field] = items
    errors.raise_if_any()
    return cleaned


# ---------------------------------------------------------------- resources

RESOURCE_TEXT_FIELDS = ["url", "format", "description", "hash"]
RESOURCE_NULLABLE_TEXT_FIELDS = ["name", "resource_type", "mimetype", "mimetype_inner", "cache_url", "webstore_url"]
RESOURCE_DATETIME_FIELDS = ["last_modified", "cache_last_updated", "webstore_last_updated"]
RESOURCE_READ_ONLY = {"resource_group_id", "package_id", "state", "position", "revision_id", "revision_timestamp"}
RESOURCE_CORE = (
    {"id", "size"} | set(RESOURCE_TEXT_FIELDS) | set(RESOURCE_NULLABLE_TEXT_FIELDS) | set(RESOURCE_DATETIME_FIELDS)
)


def _clean_datetime(value):
    if value in (None, ""):
        return None, []
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            try:
                parsed = datetime.fromisoformat(value.strip())
            except ValueError:
                parsed = None
        if parsed is not None:
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed, timezone.utc)
            return parsed, []
    return None, ["Date format incorrect"]


def _clean_size(value):
    if value in (None, ""):
        return None, []
    if isinstance(value, bool):
        return None, ["Invalid integer"]
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None, ["Invalid integer"]
    if isinstance(value, float) and value != number:
        return None, ["Invalid integer"]
    if not -(2**63) <= number < 2**63:
        return None, ["Invalid integer"]
    return number, []


def _clean_resource(item):
    """(cleaned resource, {field: [messages]}); unknown keys become resource extras."""
    if not isinstance(item, dict):
        return None, {"__type": ["Each resource must be an object"]}
    errors = _Errors()
    cleaned = {"extras": {}}
    for key, value in item.items():
        if key in RESOURCE_READ_ONLY:
            continue
        if key == "id":
            if value not in (None, ""):
                cleaned["id"], messages = _text(value)
                errors.add("id", messages)
        elif key in RESOURCE_TEXT_FIELDS:
            cleaned[key], messages = _text(value)
            errors.add(key, messages)
        elif key in RESOURCE_NULLABLE_TEXT_FIELDS:
            cleaned[key], messages = _text(value, allow_none=True)
            errors.add(key, messages)
        elif key in RESOURCE_DATETIME_FIELDS:
            cleaned[key], messages = _clean_datetime(value)
            errors.add(key, messages)
        elif key == "size":
            cleaned[key], messages = _clean_size(value)
            errors.add(key, messages)
        elif key == "extras":
            if isinstance(value, dict):
                for extra_key, extra_value in value.items():
                    cleaned["extras"][extra_key], messages = _text(extra_value, allow_none=True)
                    errors.add(extra_key, messages)
            elif value not in (None, ""):
                errors.add("extras", "Resource extras must be an object")
        else:
            cleaned["extras"][key], messages = _text(value, allow_none=True)
            errors.add(key, messages)
    return cleaned, errors.errors


def validate_resource(data):
    """A resource sent on its own (resource_create/_update), cleaned like one in a dataset."""
    cleaned, errors = _clean_resource(data)
    if errors:
        raise ValidationError(errors)
    return cleaned


# ---------------------------------------------------------------- tags, extras, groups

def _clean_tag(item):
    name = item.get("name") if isinstance(item, dict) else item
    if name in (None, ""):
        return None, {"name": ["Missing value"]}
    if isinstance(name, (int, float)) and not isinstance(name, bool):
        name = str(name)
    messages = validators.tag_errors(name)
    return name, ({"name": messages} if messages else {})


def _clean_extra(item):
    if not isinstance(item, dict):
        return None, {"__type": ["Each extra must be an object with key and value"]}
    errors = _Errors()
    key = item.get("key")
    errors.add("key", validators.extra_key_errors(key))
    if not errors.errors and key in RESERVED_EXTRA_KEYS:
        errors.add("key", f"There is a schema field with the same name: {key}")
    value = item.get("value")
    if isinstance(value, (dict, list)):
        value = json.dumps(value)
    else:
        value, messages = _text(value, allow_none=True)
        errors.add("value", messages)
    if item.get("deleted") not in (None, False, "", 0, "0", "false", "False"):
        value = None
    return {"key": key, "value": value}, errors.errors


def group_ref(item):
    """A group reference: a name/id string, or for an object with `id` and `name`
    (a dataset from another site) the pair (id, name): the id if it is known here, else the name."""
    if isinstance(item, dict):
        ref_id, ref_name = item.get("id"), item.get("name")
        if ref_id not in (None, "") and isinstance(ref_name, str) and ref_name and ref_name != ref_id:
            return (ref_id, ref_name) if isinstance(ref_id, str) else ref_id
        return ref_id or ref_name
    return item


def ref_label(ref):
    """How a group reference is named in a message."""
    return ref[0] if isinstance(ref, tuple) else ref


def _clean_group_ref(item):
    ref = group_ref(item)
    if ref in (None, ""):
        return None, {"id": ["Missing value"]}
    if not isinstance(ref, (str, tuple)):
        return None, {"id": ["Must be a string"]}
    return ref, {}


def _relationship_item_cleaner(other_key):
    def clean(item):
        if not isinstance(item, dict):
            return None, {"__type": ["Each relationship must be an object"]}
        errors = _Errors()
        other = item.get(other_key) or item.get(f"{other_key}_package_id")
        if other in (None, ""):
            errors.add(other_key, "Missing value")
        elif not isinstance(other, str):
            errors.add(other_key, "Must be a string")
        rel_type = item.get("type")
        if rel_type not in PackageRelationship.TYPES:
            errors.add("type", relationship_type_message(rel_type))
        comment, messages = _text(item.get("comment"))
        errors.add("comment", messages)
        return {"other": other, "type": rel_type, "comment": comment}, errors.errors

    return clean


def relationship_type_message(rel_type):
    return f"Relationship type {rel_type!r} is not one of: {', '.join(PackageRelationship.TYPES)}"


def resolve_groups(refs):
    """The Group rows for references by id or name, in the given order; None for an unknown one.

    A reference (id, name) (see group_ref) is the group with that id, else the one with that name.
    """
    refs = [ref for ref in refs if isinstance(ref, (str, tuple))]
    if not refs:
        return []  # nothing to look up (building the query costs more than a small one runs)
    keys = {key for ref in refs for key in (ref if isinstance(ref, tuple) else (ref,))}
    found = Group.objects.filter(Q(id__in=keys) | Q(name__in=keys))
    by_id, by_name = {}, {}
    for group in found:
        by_id[group.id] = group
        by_name[group.name] = group

    def one(key):
        return by_id.get(key) or by_name.get(key)

    return [
        (one(ref[0]) if ref[0] in by_id else by_name.get(ref[1])) if isinstance(ref, tuple) else one(ref)
        for ref in refs
    ]


# ---------------------------------------------------------------- relationships, ratings

def relationship_keys(data):
    """(subject, object, type) of a relationship action, in either spelling.

    CKAN 1.6 reads `subject, object, type`; the spec's table says `id, id2, rel`.
    """
    subject = data.get("subject") or data.get("id")
    obj = data.get("object") or data.get("id2")
    rel_type = data.get("type") or data.get("rel")
    errors = _Errors()
    for field, value in (("subject", subject), ("object", obj)):
        if value in (None, ""):
            errors.add(field, "Missing value")
        elif not isinstance(value, str):
            errors.add(field, "Must be a string")
    if rel_type in (None, ""):
        errors.add("type", "Missing value")
    elif rel_type not in PackageRelationship.TYPES:
        errors.add("type", relationship_type_message(rel_type))
    comment, messages = _text(data.get("comment"))
    errors.add("comment", messages)
    errors.raise_if_any()
    return subject, obj, rel_type, comment


def validate_rating(data):
    """(package reference, rating) of rating_create; `dataset` is the spec's name for `package`."""
    errors = _Errors()
    ref = data.get("package") or data.get("dataset")
    if ref in (None, ""):
        errors.add("package", "You must supply a package id or name (parameter \"package\").")
    elif not isinstance(ref, str):
        errors.add("package", "Must be a string")
    rating = data.get("rating")
    if rating in (None, ""):
        errors.add("rating", "You must supply a rating (parameter \"rating\").")
    else:
        errors.add("rating", validators.rating_errors(rating))
    errors.raise_if_any()
    return ref, int(float(rating))
