"""Telling a lost database connection from any other database error."""

from django.db import InterfaceError, OperationalError, connections


def connection_lost(error: BaseException) -> bool:
    """True when `error` came from a connection the server closed (a restart, an operator's
    pg_terminate_backend, a failover), as opposed to a query that was simply refused.

    The broken connections are closed here, so the next query opens a fresh one.
    """
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    lost = False
    for connection in connections.all(initialized_only=True):
        if connection.connection is None and connection.errors_occurred:
            lost = True  # Django already dropped it after a failed rollback
        elif connection.connection is not None and not connection.is_usable():
            connection.close()
            lost = True
    return lost
