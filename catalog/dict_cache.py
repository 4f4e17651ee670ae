"""A stored copy of each dataset's package_show dict, so that a show costs one query.

`package_dictize` reads a dataset and six kinds of related rows (8 queries
and most of package_show's time); CKAN answers package_show from a JSON copy
kept in Solr. We keep ours in the database, in `PackageDictCache`:

- Every write stores the new dict of each dataset it changed, in its own
  transaction, with a new random `version` (`store_written`, called by
  `catalog.changes`, which also decides which datasets changed). Search is
  handed the same dicts and reads `versions` to see whether a later write
  overtook them.
- A save outside any write clears the copies it affects (`clear`).
- A read that finds no copy builds the dict and stores it, but only if the
  copy's `version` is still the one it saw, so a read that raced a write
  never stores the older dict.
- Reads inside a write (an action that reads what it is writing) bypass the copy.
"""
import functools
import json
import logging
import secrets

import orjson
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

from catalog import models, read_cache
from ckansite import rows

log = logging.getLogger(__name__)

_BATCH = 500


def dumps(value):
    """JSON text of `value` (orjson; the json module for what orjson refuses, e.g. huge ints)."""
    try:
        return orjson.dumps(value).decode("utf-8")
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _token():
    return secrets.randbits(62)


# ---------------------------------------------------------------- reading

@functools.cache
def _find_sql(alias):
    """SELECT of a dataset by id or name with its stored copy's columns, on the database `alias`."""
    q = connections[alias].ops.quote_name
    package, cache = models.Package._meta, models.PackageDictCache._meta
    version, data = (q(cache.get_field(name).column) for name in ("version", "data"))
    key = q(cache.get_field("package").column)
    return (
        f"SELECT {rows.select_list(models.Package, alias, 'p')}, c.{key}, c.{version}, c.{data} "
        f"FROM {q(package.db_table)} p LEFT JOIN {q(cache.db_table)} c ON c.{key} = p.{q(package.pk.column)} "
        f"WHERE p.{q(package.pk.column)} = %s OR p.{q(package.get_field('name').column)} = %s"
    )


# The largest stored dict (JSON characters) whose rows a process keeps for package_show.
KEPT_DICT_CHARS = 64 * 1024


def find_package(ref):
    """The dataset with id or name `ref`, its stored copy loaded with it (as select_related would), or None.

    package_show's one query. Django's ORM compiles a query on every call and
    inspects the cursor to build instances, which cost package_show more CPU
    than the rest of its work; this SQL is built once per database and its row
    becomes an instance through `ckansite.rows`. An id wins over a name that
    happens to look like one.

    The rows are kept per process under the catalog's generation
    (catalog.read_cache.cached_rows): a dataset shown again before the next
    write costs no query. Rows without a stored copy are not kept (the show
    that builds it stores it without a write), nor copies over KEPT_DICT_CHARS.
    """
    if not isinstance(ref, str) or not ref:
        return None
    alias = DEFAULT_DB_ALIAS
    found = read_cache.cached_rows(read_cache.key_of("package_show", ref), lambda: _find_rows(alias, ref), _keepable)
    if not found:
        return None
    width = rows.width(models.Package, alias)
    packages = [(rows.instance(models.Package, alias, row), row[width:]) for row in found]
    packages.sort(key=lambda item: item[0].id != ref)
    package, (has, version, data) = packages[0]
    row = None
    if has is not None:
        row = models.PackageDictCache(package_id=package.pk, version=version, data=data)
        row._state.adding, row._state.db = False, alias
    models.Package.dict_cache.related.set_cached_value(package, row)
    return package


def _find_rows(alias, ref):
    with rows.cursor(alias) as cursor:
        cursor.execute(_find_sql(alias), [ref, ref])
        return tuple(cursor.fetchall())


def _keepable(found):
    """Whether `find_package`'s rows may be kept: each with a stored copy of moderate size."""
    return all(row[-1] is not None and len(row[-1]) <= KEPT_DICT_CHARS for row in found)


def _cached_row(package):
    """The PackageDictCache row of `package`: the select_related one if loaded, else queried."""
    if models.Package.dict_cache.is_cached(package):
        try:
            return package.dict_cache
        except models.PackageDictCache.DoesNotExist:
            return None
    return models.PackageDictCache.objects.filter(pk=package.pk).first()


def package_dict(package, build):
    """The package_show dict of `package`, from its stored copy, else `build(package)` (then stored).

    `build(package)` returns the dict (package_dictize of a fully prefetched package).
    """
    if models.writing_revision.get() is not None:
        return build(package)
    row = _cached_row(package)
    if row is not None and row.data is not None:
        return orjson.loads(row.data)
    result = build(package)
    _store(package.pk, row.version if row is not None else None, dumps(result))
    return result


def package_text(package, build):
    """`package_dict` as JSON text: the stored copy as it is, neither parsed nor encoded again."""
    if models.writing_revision.get() is None:
        row = _cached_row(package)
        if row is not None and row.data is not None:
            return row.data
    return dumps(package_dict(package, build))


def stored(package_ids):
    """{package id: (version, dict or None)} of the stored copies of these datasets."""
    found = {}
    for pk, version, data in models.PackageDictCache.objects.filter(pk__in=list(package_ids)).values_list(
        "package_id", "version", "data"
    ):
        found[pk] = (version, orjson.loads(data) if data is not None else None)
    return found


@functools.cache
def _texts_sql(alias):
    q = connections[alias].ops.quote_name
    package, cache = models.Package._meta, models.PackageDictCache._meta
    key, data = q(cache.get_field("package").column), q(cache.get_field("data").column)
    pk = q(package.pk.column)
    if connections[alias].vendor == "postgresql":
        where = f"p.{pk} = ANY(%s)"  # one statement (prepared) whatever the number of ids
    else:
        where = f"p.{pk} IN (SELECT value FROM json_each(%s))"
    return (f"SELECT p.{pk}, c.{data} FROM {q(package.db_table)} p "
            f"LEFT JOIN {q(cache.db_table)} c ON c.{key} = p.{pk} WHERE {where}")


def texts(package_ids):
    """{package id: package_show JSON text} of these datasets, in one query.

    A dataset that no longer exists is absent (a search engine may lag behind a
    purge); one whose copy is not stored yet has it built and stored.
    """
    alias = DEFAULT_DB_ALIAS
    ids = [str(pk) for pk in package_ids]
    with rows.cursor(alias) as cursor:
        cursor.execute(_texts_sql(alias), [ids if connections[alias].vendor == "postgresql" else json.dumps(ids)])
        found = dict(cursor.fetchall())
    for pk, text in found.items():
        if text is None:
            from catalog.logic.action._packages import _build

            found[pk] = package_text(find_package(pk), _build)
    return found


def versions(package_ids):
    """{package id: version} of the stored copies (a dataset without one is absent)."""
    return dict(
        models.PackageDictCache.objects.filter(pk__in=list(package_ids)).values_list("package_id", "version")
    )


def _store(package_id, version, text):
    """Store a built dict, unless a write renewed the version since it was read. One statement."""
    try:
        if transaction.get_autocommit():
            _store_statement(package_id, version, text)
        else:
            with transaction.atomic():  # a savepoint: a failure leaves the caller's transaction usable
                _store_statement(package_id, version, text)
    except DatabaseError:
        # Only a copy: the next read builds it again.
        log.warning("Could not store the dict of dataset %s", package_id, exc_info=True)


def _store_statement(package_id, version, text):
    if version is None:
        models.PackageDictCache.objects.bulk_create(
            [models.PackageDictCache(package_id=package_id, version=_token(), data=text)],
            ignore_conflicts=True,
        )
    else:
        models.PackageDictCache.objects.filter(pk=package_id, version=version, data__isnull=True).update(data=text)


# ---------------------------------------------------------------- writing

def store_written(dicts):
    """Store `{package id: dict}` as the datasets' copies with new versions (inside a write); returns the versions."""
    ids = sorted(dicts)
    tokens = {pk: _token() for pk in ids}
    for start in range(0, len(ids), _BATCH):
        models.PackageDictCache.objects.bulk_create(
            [
                models.PackageDictCache(package_id=pk, version=tokens[pk], data=dumps(dicts[pk]))
                for pk in ids[start:start + _BATCH]
            ],
            update_conflicts=True,
            unique_fields=["package"],
            update_fields=["version", "data"],
        )
    return tokens


def clear(package_ids):
    """Drop the copies of these datasets (renewing their versions); the next read rebuilds them."""
    ids = sorted(package_ids)
    for start in range(0, len(ids), _BATCH):
        models.PackageDictCache.objects.filter(pk__in=ids[start:start + _BATCH]).update(version=_token(), data=None)
