"""Django's PostgreSQL backend, with a health check that costs no round trip while the connection is quiet,
and prepared statements for the few queries every API request runs.

Connections are kept between requests (CONN_MAX_AGE) and checked before their
first use in each request (CONN_HEALTH_CHECKS), so that one PostgreSQL ended
(a restart, an idle timeout) is replaced instead of failing the request.
Django checks by sending `SELECT 1`: a round trip on every request, about a
tenth of a cheap read's time. PostgreSQL ending a connection sends a last
message and closes its end, so an idle connection with anything to read is no
longer idle: here the check first polls the socket, and only a connection that
is not quiet (or not plainly idle) gets Django's `SELECT 1`. A connection lost
without a word (its host gone) fails its first query as it did with the
round trip between check and query: a JSON 503, and Django closes it.

Django binds parameters on the client by default, so PostgreSQL parses and
plans every statement afresh (for package_show's one query, planning took
four times as long as running it), and psycopg quotes every value in Python,
the JSON of stored dicts and versions included. Here (the backend sets the
`server_side_binding` option) parameters are bound on the server and psycopg
prepares a statement once it has run PREPARE_AFTER times on a connection: a
write's thirty-odd statements are the same few shapes every time, and
PostgreSQL's CPU per write fell by a quarter, the process's by a tenth.
`prepared_cursor()` prepares at once, for the hot, fixed SQL every request
runs (catalog/dict_cache.py, accounts/authentication.py, catalog/read_cache.py).
PostgreSQL forgets prepared statements with the connection, and psycopg with
it; a pooler in transaction mode in front of PostgreSQL needs
`PREPARED_STATEMENTS=0` (client-side binding, nothing prepared).
"""
import os
import select

from django.db.backends.postgresql import base, operations
from psycopg import errors, pq

# psycopg prepares a statement once it has run this many times on a connection,
# or at once when asked (prepare=True).
PREPARE_AFTER = 2


def prepares():
    """Whether statements are bound and prepared on the server (PREPARED_STATEMENTS, default on)."""
    return os.environ.get("PREPARED_STATEMENTS", "1") != "0"


class PreparingCursor(base.ServerBindingCursor):
    """A server-binding cursor whose every statement is prepared (once per connection)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        if isinstance(cursor, PreparingCursor):  # logged with its values, as Django logs its own
            try:
                return self.compose_sql(sql, params)
            except errors.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def __init__(self, settings_dict, *args, **kwargs):
        super().__init__(settings_dict, *args, **kwargs)
        if prepares():
            self.settings_dict["OPTIONS"].setdefault("server_side_binding", True)

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.prepare_threshold = PREPARE_AFTER if prepares() else None
        return connection

    def prepared_cursor(self):
        """A Django cursor whose statements are prepared on the server (for fixed, hot SQL)."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        if self.connection.prepare_threshold is None:
            return self.cursor()
        with self.wrap_database_errors:
            return self._prepare_cursor(PreparingCursor(self.connection))

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self._quiet_and_idle()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _quiet_and_idle(self):
        """True if the kept connection is open, outside a transaction, and has nothing waiting to be read."""
        connection = self.connection
        try:
            if connection.closed or connection.broken:
                return False
            pgconn = connection.pgconn
            if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
                return False
            poller = select.poll()
            poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
            return not poller.poll(0)
        except Exception:  # any doubt: let Django's SELECT 1 decide
            return False
