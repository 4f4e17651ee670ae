"""Schemathesis hooks for `make fuzz` (scripts/fuzz.sh loads them with SCHEMATHESIS_HOOKS).

Before each request (every phase) a generator seeded by the case itself
decides, so that a run with the same seed repeats:

- who sends it: the sysadmin, an ordinary user or nobody (header
  X-Fuzz-Role names the role for the server's access log, which
  scripts/fuzz_scenarios.py counts per write action);
- whether references name existing objects: `id`, `package_id`,
  `subject`, `object`, ... and the Model API's path parameters are replaced,
  most of the time, by datasets, groups, resources, users, tags and
  revisions of the pool scripts/fuzz_scenarios.py made (FUZZ_POOL), so that
  updates and deletes find something to change;
- whether one string becomes hostile: a lone surrogate, NUL, U+FFFE, a
  bidi override or a very long string, in the JSON body (or, where a URL can
  carry it, the query). The answer must still be a clean 4xx (or a 2xx
  where the text is allowed), never a 5xx, and match its schema.
"""
import json
import os
import random
import zlib

import schemathesis
from schemathesis.generation.case import Case
from schemathesis.specs.openapi import extra_data_source

with open(os.environ["FUZZ_POOL"], encoding="utf-8") as _file:
    POOL = json.load(_file)

SEED = int(os.environ.get("FUZZ_SEED", "0"))
ROLES = ["sysadmin", "sysadmin", "user", "user", "anonymous"]
# Strings no JSON-to-database path may turn into a 5xx.
HOSTILE_JSON = ["\ud800", "x\udfffy", "\udc00\ud800", "\x00", "a\x00b", "\ufffe", "\uffff", "\u202e\u2028\u2029",
                "a" * 100_000, "\U0001d518" * 20_000, " ", "\\", "\"'<script>", "NaN"]
# What can travel in a URL (a lone surrogate cannot be percent-encoded as UTF-8).
HOSTILE_QUERY = [value for value in HOSTILE_JSON if not any(0xD800 <= ord(c) <= 0xDFFF for c in value)
                 and len(value) < 5000]

# Which kind of object a reference key names, per action prefix.
ID_KIND = [("resource_", "resource"), ("group_", "group"), ("user_", "user"), ("tag_", "tag"),
           ("revision_", "revision"), ("roles_", "dataset")]
REF_KEYS = {"package_id": "dataset", "subject": "dataset", "object": "dataset", "package": "dataset",
            "dataset": "dataset", "domain_object": "dataset", "id2": "dataset", "user": "user"}
# Lists of references, and the shape of one item (the Model API's are plain names).
LIST_REFS = {"groups": ("group", lambda ref: {"name": ref}), "packages": ("dataset", lambda ref: {"name": ref}),
             "user_roles": ("user", lambda ref: {"user": ref, "roles": ["editor"]})}
PATH_KINDS = {"ref": "dataset", "other": "dataset", "tag": "tag", "revision_id": "revision"}


def _tolerate_unencodable(validate):
    """Schemathesis re-checks a changed body with a validator that cannot read lone
    surrogates; a body holding one is simply not valid data (a negative case)."""

    def checked(self, location, value, validator_cls):
        try:
            return validate(self, location, value, validator_cls)
        except UnicodeEncodeError:
            return False

    return checked


Case._validate_component = _tolerate_unencodable(Case._validate_component)


def _tolerate_unencodable_variant(satisfies):
    """The same validator checks values schemathesis captured from requests that
    succeeded; a value holding a lone surrogate is not one to reuse."""

    def checked(variant, slots, validators):
        try:
            return satisfies(variant, slots, validators)
        except UnicodeEncodeError:
            return False

    return checked


extra_data_source._variant_satisfies_paths = _tolerate_unencodable_variant(extra_data_source._variant_satisfies_paths)


def _rng(case):
    key = repr((case.operation.method, case.operation.path, case.path_parameters, case.query, case.body))
    return random.Random(zlib.crc32(key.encode("utf-8", "surrogatepass")) ^ SEED)


# Actions that change a user's key or rights: the fuzzer's own users must keep theirs.
THROWAWAY_USER_ACTIONS = {"user_generate_apikey", "user_sysadmin_update"}


def _id_kind(path):
    action = path.rsplit("/", 1)[-1]
    if action in THROWAWAY_USER_ACTIONS:
        return "throwaway"
    if "/rest/group" in path:
        return "group"
    return next((kind for prefix, kind in ID_KIND if action.startswith(prefix)), "dataset")


def _pick(rng, kind):
    choices = POOL["refs"].get(kind) or []
    return rng.choice(choices) if choices else None


def _string_slots(value, slots, container=None, key=None):
    """Every (container, key) holding a string in a JSON value."""
    if isinstance(value, str) and container is not None:
        slots.append((container, key))
    elif isinstance(value, dict):
        for child_key, child in value.items():
            _string_slots(child, slots, value, child_key)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _string_slots(child, slots, value, index)
    return slots


@schemathesis.hook
def before_call(context, case, kwargs):
    rng = _rng(case)
    role = rng.choice(ROLES)
    headers = dict(case.headers or {})
    headers["X-Fuzz-Role"] = role
    if role != "anonymous":
        headers["Authorization"] = POOL["keys"][role]
    case.headers = headers

    path = case.operation.path
    if isinstance(case.body, dict) and rng.random() < 0.75:
        body = dict(case.body)
        for key in list(body):
            kind = _id_kind(path) if key == "id" else REF_KEYS.get(key)
            if kind and rng.random() < 0.85:
                body[key] = _pick(rng, kind) or body[key]
            elif key in LIST_REFS and isinstance(body[key], list) and rng.random() < 0.85:
                kind, shape = LIST_REFS[key]
                refs = [_pick(rng, kind) for _ in body[key]]
                body[key] = refs if "/rest/" in path else [shape(ref) for ref in refs]
        case.body = body
    if case.path_parameters and rng.random() < 0.8:
        params = dict(case.path_parameters)
        for key in params:
            kind = "group" if key == "ref" and "/rest/group" in path else PATH_KINDS.get(key)
            if key == "rel_type":
                params[key] = rng.choice(POOL["relationship_types"])
            elif kind:
                params[key] = _pick(rng, kind) or params[key]
        case.path_parameters = params

    if rng.random() < 0.3:
        if isinstance(case.body, (dict, list)):
            slots = _string_slots(case.body, [])
            if slots:
                container, key = rng.choice(slots)
                container[key] = rng.choice(HOSTILE_JSON)
        elif case.query:
            query = dict(case.query)
            query[rng.choice(sorted(query))] = rng.choice(HOSTILE_QUERY)
            case.query = query
