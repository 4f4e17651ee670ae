"""Django's PostgreSQL backend, with a health check that costs no round trip while the connection is quiet.

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
"""
import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
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
