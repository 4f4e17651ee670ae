"""Model instances from hand-written SQL, for the two queries every API request runs.

Every Action API request looks up its API key's user, and every package_show
its dataset. Through the ORM (a QuerySet, or `raw()`) each call compiles the
query again or inspects the cursor's columns and works out how to build the
model: more CPU than PostgreSQL takes to answer. Here the column list, its
order and the database's value converters are worked out once per model and
database; a row becomes an instance with `Model.from_db`, as the ORM would
make it (loaded from that database, not "adding").
"""
import functools

from django.db import connections


@functools.cache
def _shape(model, alias):
    """(SELECT list, attribute names, [(position, converters, column)]) of `model` on `alias`."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    converters = []
    for position, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if found:
            converters.append((position, tuple(found), column))
    select = ", ".join(f"{{table}}.{quote(field.column)}" for field in fields)
    return select, [field.attname for field in fields], converters


def cursor(alias):
    """A cursor for fixed, hot SQL: prepared on the server where the backend offers it
    (ckansite.postgresql), else the usual one."""
    connection = connections[alias]
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()


def select_list(model, alias, table_alias):
    """The columns of `model`, qualified by `table_alias`, in the order `instance` reads them."""
    return _shape(model, alias)[0].format(table=table_alias)


def width(model, alias):
    """How many columns `select_list` names."""
    return len(_shape(model, alias)[1])


def instance(model, alias, row):
    """An instance of `model` from `row`, whose first columns are `select_list(model, alias, ...)`."""
    _, names, converters = _shape(model, alias)
    values = list(row[: len(names)])
    if converters:
        connection = connections[alias]
        for position, found, column in converters:
            value = values[position]
            for convert in found:
                value = convert(value, column, connection)
            values[position] = value
    return model.from_db(alias, names, values)
