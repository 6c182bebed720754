"""Re-encrypt every encrypted field with the current (first) key in STAFFWELL_ENCRYPTION_KEYS.

Run after putting a new key first in the list. When it reports no values left on old keys,
the old keys can be removed from configuration. Safe to run again: values already on the
current key are skipped.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from staffwell.records import crypto
from staffwell.records.fields import encrypted_fields


class Command(BaseCommand):
    help = "Re-encrypt staff-owned records with the current encryption key."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; change nothing.")

    def handle(self, *args, batch_size: int, dry_run: bool, **options):
        total = 0
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            columns = [model._meta.get_field(f).column for f in fields]
            changed = self._rotate_model(model, fields, columns, batch_size=batch_size, dry_run=dry_run)
            total += changed
            self.stdout.write(f"{model._meta.label}: {changed} row(s) {'to re-encrypt' if dry_run else 're-encrypted'}")
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        self.stdout.write(self.style.SUCCESS(f"{total} row(s) {verb} with the current key."))

    def _rotate_model(self, model, fields, columns, *, batch_size, dry_run) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        pk_col = connection.ops.quote_name(model._meta.pk.column)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        changed = 0
        last = None
        while True:
            with connection.cursor() as cursor:
                where = f"WHERE {pk_col} > %s " if last is not None else ""
                cursor.execute(
                    f"SELECT {pk_col}, {cols} FROM {table} {where}ORDER BY {pk_col} LIMIT %s",  # noqa: S608
                    [last, batch_size] if last is not None else [batch_size],
                )
                rows = cursor.fetchall()
            if not rows:
                return changed
            with transaction.atomic():
                for pk, *tokens in rows:
                    last = pk
                    updates = {}
                    for field, token in zip(fields, tokens, strict=True):
                        if token is None or crypto.is_current(token):
                            continue
                        try:
                            updates[field] = crypto.multi_fernet().rotate(token.encode("ascii")).decode("ascii")
                        except crypto.InvalidToken:
                            raise CommandError(
                                f"{model._meta.label} {pk}: {field} cannot be decrypted with any configured key. "
                                "Nothing after this row was changed; restore the missing key and run again."
                            ) from None
                    if updates:
                        changed += 1
                        if not dry_run:
                            self._write(model, pk, updates)

    def _write(self, model, pk, updates: dict[str, str]) -> None:
        # Write the new tokens as they are: going through the ORM would encrypt them again.
        table = connection.ops.quote_name(model._meta.db_table)
        pk_col = connection.ops.quote_name(model._meta.pk.column)
        sets = ", ".join(f"{connection.ops.quote_name(model._meta.get_field(f).column)} = %s" for f in updates)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {sets} WHERE {pk_col} = %s", [*updates.values(), pk])  # noqa: S608
