"""What each action takes and returns, as JSON Schema (the OpenAPI 3.0 dialect).

The API description (/api/openapi.json) shows these
schemas; clients generate code from them and the fuzzer (scripts/fuzz.sh)
generates requests from them and checks every answer against them. They are
built from the same constants the validation and dictization code uses
(field lists in `schemas.py`, `group_schemas.py`, `dictization.py`; lengths,
patterns and ranges in `validators.py`; column lengths and relationship types
in the models; the list limit in settings), so a field added there appears
here without being written twice.

Request schemas describe what the actions accept: a request that matches one
is valid as far as its shape goes (a name may still be taken, a dataset may
not exist). Response schemas name every key the dictizers always write, so
a key dropped from an answer breaks the description's check.

`REQUESTS[action]` and `RESULTS[action]` are schemas; `COMPONENTS` holds the
named ones they refer to as {"$ref": "#/components/schemas/<Name>"}.
"""
from django.conf import settings

from catalog.logic import validators
from catalog.logic.dictization import PACKAGE_CORE_FIELDS, RESOURCE_CORE_FIELDS, RESOURCE_DATETIME_FIELDS
from catalog.logic.group_schemas import GROUP_STATES, GROUP_TEXT_FIELDS, TYPE_MAX_LENGTH
from catalog.logic.params import SEARCH_TEXT_MAX_LENGTH
from catalog.logic.schemas import (
    PACKAGE_TEXT_FIELDS,
    RESOURCE_NULLABLE_TEXT_FIELDS,
    RESOURCE_TEXT_FIELDS,
    STATES,
)
from catalog.logic.user_schemas import TEXT_FIELDS as USER_TEXT_FIELDS
from catalog.models import Package, PackageRelationship, RoleAssignment


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _string(**extra):
    return {"type": "string", **extra}


def _nullable(schema):
    return {**schema, "nullable": True}


def _array(items, **extra):
    return {"type": "array", "items": items, **extra}


def _object(properties, required=(), **extra):
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = sorted(required)
    schema.update(extra)
    return schema


def _list_limit():
    return settings.CKAN_MAX_LIST_ITEMS


NAME = _string(
    minLength=validators.NAME_MIN_LENGTH, maxLength=validators.NAME_MAX_LENGTH, pattern=validators.NAME_RE.pattern,
    description="2-100 characters of lowercase a-z, 0-9, - and _",
)
TAG_NAME = _string(
    minLength=validators.TAG_MIN_LENGTH, maxLength=validators.TAG_MAX_LENGTH, pattern=validators.TAG_RE.pattern,
)
REFERENCE = _string(minLength=1, description="an id or a name")
TIMESTAMP = _nullable(_string(description="ISO 8601, UTC, no offset"))
INTEGER = {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
FLAG = {"type": "boolean"}
RELATIONSHIP_TYPE = _string(enum=list(PackageRelationship.TYPES))
ROLE = _string(enum=list(RoleAssignment.ROLES))


def _max_length(model, field):
    return model._meta.get_field(field).max_length


# ---------------------------------------------------------------- request bodies

def _package_text_properties():
    properties = {}
    for field in PACKAGE_TEXT_FIELDS:
        length = _max_length(Package, field)
        properties[field] = _nullable(_string(maxLength=length) if length else _string())
    properties["version"] = _nullable(_string(maxLength=validators.VERSION_MAX_LENGTH))
    return properties


def _resource_input_properties():
    properties = {"id": _nullable(_string())}
    properties.update({field: _nullable(_string()) for field in RESOURCE_TEXT_FIELDS + RESOURCE_NULLABLE_TEXT_FIELDS})
    properties.update({field: TIMESTAMP for field in RESOURCE_DATETIME_FIELDS})
    properties["size"] = _nullable({"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1})
    return properties


def _relationship_item(other_key):
    return _object(
        {other_key: REFERENCE, "type": RELATIONSHIP_TYPE, "comment": _nullable(_string())},
        required=[other_key, "type"],
    )


def _package_input(*, rest=False):
    """A dataset as package_create/update read it (rest: the Model API's shapes)."""
    limit = _list_limit()
    properties = {"name": NAME, **_package_text_properties()}
    properties.update({
        "state": _string(enum=sorted(STATES)),
        "log_message": _nullable(_string()),
        "resources": _array(ref("ResourceInput"), maxItems=limit),
        "id": _string(description="on create, sysadmins only: a free UUID (loading a dumped catalog)"),
    })
    if rest:
        properties.update({
            "tags": _array(TAG_NAME, maxItems=limit),
            "extras": {"type": "object", "additionalProperties": _nullable(_string()),
                       "description": "{key: value}; a null value deletes the extra"},
            "groups": _array(REFERENCE, maxItems=limit),
        })
    else:
        properties.update({
            "tags": _array(_object({"name": TAG_NAME}, required=["name"]), maxItems=limit),
            "extras": _array(ref("ExtraInput"), maxItems=limit),
            "groups": _array(_object({"id": _string(), "name": _string()}), maxItems=limit),
            "relationships_as_subject": _array(_relationship_item("object"), maxItems=limit),
            "relationships_as_object": _array(_relationship_item("subject"), maxItems=limit),
        })
    return _object(properties, additionalProperties=False)


def _group_input(*, rest=False):
    properties = {"name": NAME}
    properties.update({field: _nullable(_string()) for field in GROUP_TEXT_FIELDS})
    properties["type"] = _nullable(_string(maxLength=TYPE_MAX_LENGTH))
    properties["state"] = _string(enum=sorted(GROUP_STATES))
    properties["log_message"] = _nullable(_string())
    properties["id"] = _string(description="on create, sysadmins only: a free UUID")
    if rest:
        properties["extras"] = {"type": "object", "additionalProperties": _nullable(_string())}
        properties["packages"] = _array(REFERENCE)
    else:
        properties["extras"] = _array(ref("ExtraInput"))
        properties["packages"] = _array(_object({"id": _string(), "name": _string()}))
    return _object(properties)


def _user_input():
    properties = {
        "name": NAME,
        "email": _string(pattern=validators.EMAIL_RE.pattern, maxLength=254),
        "password": _string(minLength=validators.PASSWORD_MIN_LENGTH),
    }
    properties.update({field: _nullable(_string()) for field in USER_TEXT_FIELDS})
    properties["about"] = _nullable(_string(pattern=r"^((?!https?://).)*$", description="no links"))
    return _object(properties)


def _with(schema, required=(), **properties):
    """`schema` with more properties and required keys."""
    merged = {**schema, "properties": {**schema["properties"], **properties}}
    merged["required"] = sorted(set(schema.get("required", ())) | set(required))
    return merged


def _params(required=(), **properties):
    return _object(properties, required=required)


RELATIONSHIP_KEYS = {"subject": REFERENCE, "object": REFERENCE, "type": RELATIONSHIP_TYPE,
                     "comment": _nullable(_string())}
PAGE = {"limit": INTEGER, "offset": INTEGER}
SEARCH_TEXT = _string(maxLength=SEARCH_TEXT_MAX_LENGTH, description="the text to look for")


# ---------------------------------------------------------------- answers

def _package_output():
    properties = {"id": _string()}
    properties.update({field: _nullable(_string()) for field in PACKAGE_CORE_FIELDS})
    properties["name"] = _string()
    properties.update({
        "state": _string(),
        "revision_id": _nullable(_string()),
        "revision_timestamp": TIMESTAMP,
        "metadata_created": TIMESTAMP,
        "metadata_modified": TIMESTAMP,
        "notes_rendered": _string(),
        "license": _nullable(_string()),
        "license_title": _nullable(_string()),
        "license_url": _nullable(_string()),
        "isopen": FLAG,
        "resources": _array(ref("Resource")),
        "tags": _array(ref("Tag")),
        "groups": _array(ref("GroupSummary")),
        "extras": _array(ref("Extra")),
        "relationships_as_subject": _array(ref("Relationship")),
        "relationships_as_object": _array(ref("Relationship")),
        "ratings_average": _nullable({"type": "number"}),
        "ratings_count": {"type": "integer"},
    })
    return _object(properties, required=properties)


def _package_rest_output():
    base = _package_output()
    properties = {key: value for key, value in base["properties"].items()
                  if key not in ("revision_timestamp", "relationships_as_subject", "relationships_as_object")}
    resource_properties = {key: value for key, value in _resource_output()["properties"].items()
                           if key not in ("revision_id", "state", "revision_timestamp")}
    properties.update({
        "tags": _array(_string()),
        "groups": _array(_string()),
        "extras": {"type": "object", "additionalProperties": _nullable(_string())},
        "resources": _array(_object(resource_properties, required=resource_properties)),
        "relationships": _array(ref("RelationshipSeen")),
        "ckan_url": _string(),
        "download_url": _string(description="v1 only, when the dataset has a resource"),
    })
    return _object(properties, required=set(properties) - {"download_url"})


def _resource_output():
    properties = {"id": _string()}
    properties.update({field: _nullable(_string()) for field in RESOURCE_CORE_FIELDS})
    properties.update({field: TIMESTAMP for field in RESOURCE_DATETIME_FIELDS})
    properties.update({
        "size": _nullable({"type": "integer"}),
        "position": {"type": "integer"},
        "resource_group_id": _string(),
        "package_id": _string(),
        "state": _string(),
        "revision_id": _nullable(_string()),
        "revision_timestamp": TIMESTAMP,
    })
    return _object(properties, required=properties, description="other keys are the resource's extras")


def _group_summary():
    properties = {
        "id": _string(), "name": _string(), "title": _nullable(_string()), "description": _nullable(_string()),
        "type": _nullable(_string()), "state": _string(), "approval_status": _nullable(_string()),
        "revision_id": _nullable(_string()),
    }
    return _object(properties, required=properties)


def _group_output():
    summary = _group_summary()
    properties = {
        **summary["properties"],
        "display_name": _string(),
        "created": TIMESTAMP,
        "extras": _array(_object({"id": _string(), "group_id": _string(), "key": _string(),
                                  "value": _nullable(_string()), "state": _string(),
                                  "revision_id": _nullable(_string())})),
        "packages": _array(ref("Package"), description="left out by group_show with include_datasets false"),
    }
    return _object(properties, required=set(properties) - {"packages"})


def _group_rest_output():
    properties = {
        **_group_summary()["properties"],
        "display_name": _string(),
        "created": TIMESTAMP,
        "extras": {"type": "object", "additionalProperties": _nullable(_string())},
        "packages": _array(_string()),
        "datasets": _array(_string()),
    }
    return _object(properties, required=properties)


def _group_list_item():
    properties = {**_group_summary()["properties"], "display_name": _string(), "packages": {"type": "integer"}}
    return _object(properties, required=properties)


def _user_output():
    properties = {
        "id": _string(), "name": _string(), "fullname": _nullable(_string()), "about": _nullable(_string()),
        "created": TIMESTAMP, "sysadmin": FLAG, "display_name": _string(), "email_hash": _string(),
        "number_of_edits": {"type": "integer"}, "number_administered_packages": {"type": "integer"},
    }
    required = set(properties)
    properties.update({
        "email": _nullable(_string(description="only for the user themself and sysadmins")),
        "apikey": _nullable(_string(description="only for the user themself and sysadmins")),
        "reset_key": _nullable(_string(description="only for the user themself and sysadmins")),
    })
    return _object(properties, required=required)


def _user_show_output():
    user = _user_output()
    properties = {
        **user["properties"],
        "password_hash": _string(description="sysadmins asking with include_password_hash only"),
        "activity": _array(ref("Revision")),
        "datasets": _array(ref("Package")),
    }
    return _object(properties, required=set(user["required"]) | {"activity", "datasets"})


def _revision_entry():
    properties = {"id": _string(), "timestamp": TIMESTAMP, "message": _nullable(_string()),
                  "author": _nullable(_string()), "approved_timestamp": TIMESTAMP}
    return _object(properties, required=properties)


def _revision_output():
    entry = _revision_entry()
    properties = {**entry["properties"], "state": _string(), "packages": _array(_string()),
                  "groups": _array(_string())}
    return _object(properties, required=properties)


def _roles_output():
    return _object(
        {
            "domain_object_type": _string(enum=["Package", "Group"]),
            "domain_object_id": _string(),
            "roles": _array(_object({"role": ROLE, "user_id": _nullable(_string()),
                                     "authorized_group_id": _nullable(_string())}, required=["role"])),
            "user": _string(),
            "authorization_group": _string(),
        },
        required=["domain_object_type", "domain_object_id", "roles"],
    )


def _license():
    return _object({"id": _string(), "title": _string(), "url": _nullable(_string())}, required=["id", "title"])


COMPONENTS = {
    "Name": NAME,
    "ResourceInput": _object(_resource_input_properties(),
                             description="a resource; other keys are kept as its extras (text values)"),
    "ExtraInput": _object({"key": _string(minLength=1, maxLength=validators.EXTRA_KEY_MAX_LENGTH),
                           "value": {"nullable": True, "description": "text; other JSON values are stored encoded"},
                           "deleted": FLAG}, required=["key"]),
    "PackageInput": _package_input(),
    "PackageRestInput": _package_input(rest=True),
    "GroupInput": _group_input(),
    "GroupRestInput": _group_input(rest=True),
    "UserInput": _user_input(),
    "Package": _package_output(),
    "PackageRest": _package_rest_output(),
    "Resource": _resource_output(),
    "Tag": _object({"id": _string(), "name": _string(), "state": _string(), "revision_timestamp": TIMESTAMP},
                   required=["id", "name"]),
    "TagWithPackages": _object({"id": _string(), "name": _string(), "packages": _array(ref("Package"))},
                               required=["id", "name", "packages"]),
    "Extra": _object({"id": _string(), "key": _string(), "value": _nullable(_string()), "package_id": _string(),
                      "state": _string(), "revision_id": _nullable(_string()), "revision_timestamp": TIMESTAMP},
                     required=["key", "value"]),
    "Relationship": _object({"id": _string(), "subject_package_id": _string(), "object_package_id": _string(),
                             "type": RELATIONSHIP_TYPE, "comment": _nullable(_string()), "state": _string(),
                             "revision_id": _nullable(_string()), "revision_timestamp": TIMESTAMP},
                            required=["id", "subject_package_id", "object_package_id", "type"]),
    "RelationshipSeen": _object({"subject": _string(), "type": RELATIONSHIP_TYPE, "object": _string(),
                                 "comment": _nullable(_string())},
                                required=["subject", "type", "object", "comment"],
                                description="a relationship as seen from the dataset it is listed under"),
    "GroupSummary": _group_summary(),
    "Group": _group_output(),
    "GroupRest": _group_rest_output(),
    "GroupListItem": _group_list_item(),
    "User": _user_output(),
    "UserShow": _user_show_output(),
    "Revision": _revision_entry(),
    "RevisionDetail": _revision_output(),
    "Roles": _roles_output(),
    "License": _license(),
    "Rating": _object({"rating average": {"type": "number"}, "rating count": {"type": "integer"}},
                      required=["rating average", "rating count"]),
}

_PACKAGE_REF = {"id": REFERENCE}
_GROUP_LIST_PARAMS = {"order_by": _string(enum=["name", "packages"]), "all_fields": FLAG,
                      "groups": _array(_string(), maxItems=1000), **PAGE}

REQUESTS = {
    # reads
    "site_read": _params(),
    "status_show": _params(),
    "package_list": _params(),
    "revision_list": _params(),
    "licence_list": _params(),
    "group_list_authz": _params(),
    "current_package_list_with_resources": _params(limit=INTEGER, offset=INTEGER,
                                                   page={"type": "integer", "minimum": 1, "maximum": 2**31 - 1}),
    "package_revision_list": _params(["id"], **_PACKAGE_REF),
    "revision_show": _params(["id"], id=_string(minLength=1)),
    "package_relationships_list": _params(["id"], id=REFERENCE, id2=REFERENCE, rel=RELATIONSHIP_TYPE),
    "package_show": _params(["id"], **_PACKAGE_REF),
    "package_show_rest": _params(["id"], **_PACKAGE_REF),
    "resource_show": _params(["id"], id=_string(minLength=1)),
    "package_autocomplete": _params(q=SEARCH_TEXT, limit=INTEGER),
    "format_autocomplete": _params(q=SEARCH_TEXT, limit=INTEGER),
    "group_list": _params(**_GROUP_LIST_PARAMS),
    "group_list_available": _params(id=REFERENCE),
    "group_revision_list": _params(["id"], id=REFERENCE),
    "group_show": _params(["id"], id=REFERENCE, include_datasets=FLAG),
    "group_show_rest": _params(["id"], id=REFERENCE),
    "group_package_show": _params(["id"], id=REFERENCE, limit=INTEGER),
    "tag_list": _params(q=SEARCH_TEXT, all_fields=FLAG, return_objects=FLAG, **PAGE),
    "tag_show": _params(["id"], id=REFERENCE),
    "tag_show_rest": _params(["id"], id=REFERENCE),
    "tag_search": _params(query=SEARCH_TEXT, q=SEARCH_TEXT, fields=_object({"tags": SEARCH_TEXT}), **PAGE),
    "tag_autocomplete": _params(q=SEARCH_TEXT, limit=INTEGER),
    "user_list": _params(q=SEARCH_TEXT, order_by=_string(enum=["name", "display_name", "edits", "created"])),
    "user_show": _params(["id"], id=REFERENCE, include_password_hash=FLAG),
    "user_autocomplete": _params(q=SEARCH_TEXT, limit=INTEGER),
    "roles_show": _params(["domain_object"], domain_object=REFERENCE, user=REFERENCE,
                          authorization_group=REFERENCE),
    # writes
    "package_create": _with(COMPONENTS["PackageInput"], required=["name"]),
    "package_create_validate": _with(COMPONENTS["PackageInput"], required=["name"]),
    "package_create_rest": _with(COMPONENTS["PackageRestInput"], required=["name"]),
    "package_update": _with(COMPONENTS["PackageInput"], required=["id"], id=REFERENCE),
    "package_update_validate": _with(COMPONENTS["PackageInput"], required=["id"], id=REFERENCE),
    "package_update_rest": _with(COMPONENTS["PackageRestInput"], required=["id"], id=REFERENCE),
    "package_patch": _with(COMPONENTS["PackageInput"], required=["id"], id=REFERENCE),
    "package_delete": _params(["id"], **_PACKAGE_REF),
    "dataset_purge": _params(["id"], **_PACKAGE_REF),
    "make_latest_pending_package_active": _params(["id"], **_PACKAGE_REF),
    "resource_create": _with(COMPONENTS["ResourceInput"], required=["package_id", "url"],
                             package_id=REFERENCE, url=_string()),
    "resource_update": _with(COMPONENTS["ResourceInput"], required=["id"], id=_string(minLength=1)),
    "resource_patch": _with(COMPONENTS["ResourceInput"], required=["id"], id=_string(minLength=1)),
    "package_relationship_create": _params(["subject", "object", "type"], **RELATIONSHIP_KEYS),
    "package_relationship_update": _params(["subject", "object", "type"], **RELATIONSHIP_KEYS),
    "package_relationship_delete": _params(["subject", "object", "type"], **RELATIONSHIP_KEYS),
    "rating_create": _params(["package", "rating"], package=REFERENCE, dataset=REFERENCE,
                             rating={"type": "integer", "minimum": validators.RATING_MIN,
                                     "maximum": validators.RATING_MAX}),
    "group_create": _with(COMPONENTS["GroupInput"], required=["name"]),
    "group_create_rest": _with(COMPONENTS["GroupRestInput"], required=["name"]),
    "group_update": _with(COMPONENTS["GroupInput"], required=["id"], id=REFERENCE),
    "group_patch": _with(COMPONENTS["GroupInput"], required=["id"], id=REFERENCE),
    "group_update_rest": _with(COMPONENTS["GroupRestInput"], required=["id"], id=REFERENCE),
    "group_delete": _params(["id"], id=REFERENCE),
    "group_purge": _params(["id"], id=REFERENCE),
    "user_create": _with(COMPONENTS["UserInput"], required=["name", "email", "password"],
                         id=_string(description="sysadmins only: a free UUID (loading a dumped catalog)"),
                         password_hash=_string(description="sysadmins only, instead of password")),
    "user_update": _with(COMPONENTS["UserInput"], required=["id", "email"], id=REFERENCE,
                         reset_key=_string(description="lets a user without a session set a new password")),
    "user_generate_apikey": _params(["id"], id=REFERENCE),
    "user_sysadmin_update": _params(["id", "sysadmin"], id=REFERENCE, sysadmin=FLAG),
    "user_role_update": _params(["domain_object", "roles"], domain_object=REFERENCE, user=REFERENCE,
                                authorization_group=REFERENCE, roles=_array(ROLE)),
    "user_role_bulk_update": _params(
        ["domain_object", "user_roles"], domain_object=REFERENCE,
        user_roles=_array(_object({"user": REFERENCE, "authorization_group": REFERENCE, "roles": _array(ROLE)},
                                  required=["roles"])),
    ),
}

_STRINGS = _array(_string())
_NOTHING = _nullable({"description": "null"})

RESULTS = {
    "site_read": FLAG,
    "status_show": _object({"ckan_version": _string(), "site_url": _string(), "site_title": _string(),
                            "site_description": _string(), "locale_default": _string(),
                            "error_emails_to": _nullable(_string()), "extensions": _STRINGS},
                           required=["ckan_version", "site_url", "site_title"]),
    "package_list": _STRINGS,
    "revision_list": _STRINGS,
    "licence_list": _array(ref("License")),
    "group_list_authz": _array(_object({"id": _string(), "name": _string()}, required=["id", "name"])),
    "group_list_available": _array(_object({"id": _string(), "name": _string()}, required=["id", "name"])),
    "current_package_list_with_resources": _array(ref("Package")),
    "package_revision_list": _array(ref("Revision")),
    "group_revision_list": _array(ref("Revision")),
    "revision_show": ref("RevisionDetail"),
    "package_relationships_list": _array(ref("RelationshipSeen")),
    "package_show": ref("Package"),
    "package_show_rest": ref("PackageRest"),
    "resource_show": ref("Resource"),
    "package_autocomplete": _array(_object({"name": _string(), "title": _nullable(_string()),
                                            "match_field": _string(enum=["name", "title"]),
                                            "match_displayed": _string()},
                                           required=["name", "title", "match_field", "match_displayed"])),
    "format_autocomplete": _STRINGS,
    "group_list": {"anyOf": [_STRINGS, _array(ref("GroupListItem"))]},
    "group_show": ref("Group"),
    "group_show_rest": ref("GroupRest"),
    "group_package_show": _array(ref("Package")),
    "tag_list": {"anyOf": [_STRINGS, _array(_object({"id": _string(), "name": _string()}, required=["id", "name"]))]},
    "tag_show": ref("TagWithPackages"),
    "tag_show_rest": _STRINGS,
    "tag_search": _object({"count": {"type": "integer"},
                           "results": _array(_object({"id": _string(), "name": _string()}, required=["id", "name"]))},
                          required=["count", "results"]),
    "tag_autocomplete": _STRINGS,
    "user_list": _array(ref("User")),
    "user_show": ref("UserShow"),
    "user_autocomplete": _array(_object({"id": _string(), "name": _string(), "fullname": _nullable(_string())},
                                        required=["id", "name", "fullname"])),
    "roles_show": ref("Roles"),
    "package_create": ref("Package"),
    "package_update": ref("Package"),
    "package_patch": ref("Package"),
    "make_latest_pending_package_active": ref("Package"),
    "package_create_validate": {"type": "object", "description": "the cleaned dataset dict"},
    "package_update_validate": {"type": "object", "description": "the cleaned dataset dict"},
    "package_create_rest": ref("PackageRest"),
    "package_update_rest": ref("PackageRest"),
    "package_delete": _NOTHING,
    "dataset_purge": _NOTHING,
    "resource_create": ref("Resource"),
    "resource_update": ref("Resource"),
    "resource_patch": ref("Resource"),
    "package_relationship_create": ref("RelationshipSeen"),
    "package_relationship_update": ref("RelationshipSeen"),
    "package_relationship_delete": _NOTHING,
    "rating_create": ref("Rating"),
    "group_create": ref("Group"),
    "group_update": ref("Group"),
    "group_patch": ref("Group"),
    "group_create_rest": ref("GroupRest"),
    "group_update_rest": ref("GroupRest"),
    "group_delete": _NOTHING,
    "group_purge": _NOTHING,
    "user_create": ref("User"),
    "user_update": ref("User"),
    "user_generate_apikey": ref("User"),
    "user_sysadmin_update": ref("User"),
    "user_role_update": ref("Roles"),
    "user_role_bulk_update": ref("Roles"),
}

# The error object every surface answers with (the Action API inside its envelope):
# a Validation Error adds {field: [messages]} (per item for lists: [{}, {field: [...]}]).
ERROR = _object(
    {"__type": _string(description="Validation Error, Not Found Error, Authorization Error, ..."),
     "message": _string()},
    required=["__type", "message"],
    additionalProperties={"description": "Validation Error: the messages of a field"},
)


def register(requests=None, results=None, components=None):
    """Add the descriptions of another app's actions (search registers its own)."""
    REQUESTS.update(requests or {})
    RESULTS.update(results or {})
    COMPONENTS.update(components or {})
