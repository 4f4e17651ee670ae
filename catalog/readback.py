"""Datasets read back, with everything `package_dictize` reads, in hand-written SQL.

Every dataset write reads back the datasets it changed to build their dicts
(catalog.changes). Through `package_queryset()` that is Django's prefetch
machinery: seven querysets cloned, compiled and turned into instances, which
cost more CPU than the rest of the read-back, dictization included. Here the
same seven SELECTs are written once (the columns and converters of each
model come from ckansite.rows) and each relation's rows are put where the
prefetch would have put them: in the dataset's prefetch cache, with each
row's foreign key to the dataset (and its select_related partner) cached.

The filters and orderings are `package_queryset()`'s, from the one table
that defines both (`dictization.RELATIONS`), so the dicts are the same
(tests/catalog/test_readback.py compares them).
"""
import functools

from django.db import DEFAULT_DB_ALIAS, connections

from catalog.logic.dictization import RELATIONS, known_empty, set_prefetched
from catalog.models import STATE_ACTIVE, Package
from ckansite import rows


def _table(model, connection):
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name, connection):
    return connection.ops.quote_name(model._meta.get_field(name).column)


@functools.cache
def _relation_sql(name, alias, count):
    """(the SELECT of relation `name` for `count` datasets, how many state placeholders follow the ids)."""
    connection = connections[alias]
    model, fk, active_only, joined, order = RELATIONS[name]
    models_by_alias = {"c": model}
    columns = rows.select_list(model, alias, "c")
    source = f"{_table(model, connection)} c"
    where = [f"c.{_column(model, fk, connection)} IN ({', '.join(['%s'] * count)})"]
    if active_only:
        where.append(f"c.{_column(model, 'state', connection)} = %s")
    if joined:
        field, joined_model, active = joined
        models_by_alias["j"] = joined_model
        columns += ", " + rows.select_list(joined_model, alias, "j")
        source += (f" INNER JOIN {_table(joined_model, connection)} j"
                   f" ON j.{_column(joined_model, 'id', connection)} = c.{_column(model, field, connection)}")
        if active:
            where.append(f"j.{_column(joined_model, 'state', connection)} = %s")
    sql = f"SELECT {columns} FROM {source} WHERE {' AND '.join(where)}"
    if order:
        sql += " ORDER BY " + ", ".join(f"{a}.{_column(models_by_alias[a], f, connection)} ASC" for a, f in order)
    return sql, len(where) - 1


def packages(ids, lock=False, skip=(), using=DEFAULT_DB_ALIAS):
    """{id: Package} of the datasets `ids` that exist, each as `package_queryset(skip=skip)` reads it.

    `lock`: lock their rows (SELECT ... FOR UPDATE, in id order) as the write's
    `select_for_update()` did. The relations in `skip` are not read but marked empty.
    """
    ids = sorted(ids)
    if not ids:
        return {}
    connection = connections[using]
    placeholders = ", ".join(["%s"] * len(ids))
    pk_column = _column(Package, "id", connection)
    sql = (f"SELECT {rows.select_list(Package, using, 'p')} FROM {_table(Package, connection)} p "
           f"WHERE p.{pk_column} IN ({placeholders}) ORDER BY p.{pk_column}")
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        found = {package.pk: package for package in (rows.instance(Package, using, r) for r in cursor.fetchall())}
    if not found:
        return {}
    read = [name for name in RELATIONS if name not in skip]
    present = sorted(found)
    for name in read:
        model, fk, _, joined, _ = RELATIONS[name]
        sql, states = _relation_sql(name, using, len(present))
        width = rows.width(model, using)
        fk_field = model._meta.get_field(fk)
        by_package = {pk: [] for pk in present}
        with connection.cursor() as cursor:
            cursor.execute(sql, present + [STATE_ACTIVE] * states)
            for row in cursor.fetchall():
                child = rows.instance(model, using, row)
                if joined:
                    field, joined_model, _ = joined
                    partner = rows.instance(joined_model, using, row[width:])
                    model._meta.get_field(field).set_cached_value(child, partner)
                package = found[getattr(child, fk_field.attname)]
                fk_field.set_cached_value(child, package)
                by_package[package.pk].append(child)
        for pk, children in by_package.items():
            set_prefetched(found[pk], name, children)
    if skip:
        for package in found.values():
            known_empty(package, skip)
    return found
