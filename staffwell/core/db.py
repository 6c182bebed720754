"""Database helpers for the few hot paths (answering a survey when a whole trust does)."""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import lookups


def prepared_cursor():
    """A cursor whose statements PostgreSQL parses and plans once per connection, then
    reuses (prepared statements); on other databases, an ordinary cursor.

    For statements with fixed SQL text run on every request of a hot path. Django's own
    cursors bind parameters on the client, and psycopg never prepares those, so the rest
    of staffwell is unaffected. A connection pooler in front of staffwell's PostgreSQL
    must support prepared statements (PgBouncer does from 1.21, with
    ``max_prepared_statements`` set).

    While Django logs queries (``DEBUG``, or a test capturing them), this is Django's own
    cursor: only client-side binding gives the log the SQL with its values. The SQL text
    is the same either way.
    """
    if connection.vendor != "postgresql" or connection.queries_logged:
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    # What connection.cursor() does first, so health checks and thread checks still hold.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        # Django turns psycopg's automatic preparing off (None); 0 prepares a statement the
        # first time a server-binding cursor (only this one) runs it on the connection.
        connection.connection.prepare_threshold = 0
        raw = ServerBindingCursor(connection.connection)
    return connection.make_cursor(raw)


class IntegerFieldIn(lookups.In):
    """``id__in=[...]`` that leaves out numbers the database cannot hold: they match no row.

    Django already does this for ``exact``, ``lt``, ``gt`` and the rest on integer fields, but
    not for ``in``, and SQLite's driver raises ``OverflowError`` for them. A form's
    ``ModelMultipleChoiceField`` filters with ``in``, so a made-up id of twenty digits was a
    500 (found by an attack); now every such field answers "Select a valid choice" instead,
    wherever the query comes from. Registered once, for every integer field, in
    ``staffwell.core.apps``.
    """

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            kept = [
                v
                for v in self.rhs
                if not isinstance(v, int) or ((low is None or v >= low) and (high is None or v <= high))
            ]
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)
