"""Re-encrypt everything staffwell encrypts at rest with the current (first) key in
STAFFWELL_ENCRYPTION_KEYS: every staff-owned record's encrypted fields, sealed survey
responses, survey drafts, the check-in pool and the staff voice inbox
(``staffwell.core.crypto.stores``). Values in an older format (Fernet tokens, blobs
keyed from SECRET_KEY) are rewritten in the current one.

Run after putting a new key first in the list. When it reports nothing left on old keys,
the old keys can be removed from configuration. Safe to run again: values already on the
current key are skipped. Each value is replaced only if it has not changed since it was
read, so the command can run while people use the service.
"""

import string

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from staffwell.core import crypto


class Command(BaseCommand):
    help = "Re-encrypt everything encrypted at rest with the current encryption key."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; change nothing.")

    def handle(self, *args, batch_size: int, dry_run: bool, **options):
        total = left = 0
        for store in crypto.stores():
            changed, kept = self._rotate(store, batch_size=batch_size, dry_run=dry_run)
            total += changed
            left += kept
            verb = "to re-encrypt" if dry_run else "re-encrypted"
            line = f"{store.label}.{store.field}: {changed} row(s) {verb}"
            if kept:
                line += (
                    f"; {kept} draft(s) from before the current format left as they are "
                    "(they need their respondent's link or code; they go when their campaign closes)"
                )
            self.stdout.write(line)
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        self.stdout.write(self.style.SUCCESS(f"{total} row(s) {verb} with the current key."))
        if left:
            self.stdout.write(f"{left} legacy draft(s) still need SECRET_KEY until their campaigns close.")

    def _new_value(self, store, value, context):
        if store.kind == "text":
            return crypto.reencrypt(value, purpose=store.purpose)
        if store.kind == "blob":
            return crypto.reseal(value, purpose=store.purpose, context=context)
        return crypto.rewrap(value, purpose=store.purpose, context=context)

    def _rotate(self, store, *, batch_size, dry_run) -> tuple[int, int]:
        model = apps.get_model(store.label)
        meta = model._meta
        q = connection.ops.quote_name
        table, pk_col = q(meta.db_table), q(meta.pk.column)
        column = q(meta.get_field(store.field).column)
        names = [name for _, name, _, _ in string.Formatter().parse(store.context) if name]
        extra = [meta.get_field(n).column for n in names]
        select = ", ".join([pk_col, column, *(q(c) for c in extra)])
        changed = kept = 0
        last = None
        while True:
            where = f"WHERE {pk_col} > %s " if last is not None else ""
            params = [last, batch_size] if last is not None else [batch_size]
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {select} FROM {table} {where}ORDER BY {pk_col} LIMIT %s", params)  # noqa: S608
                rows = cursor.fetchall()
            if not rows:
                return changed, kept
            with transaction.atomic():
                for pk, value, *ctx in rows:
                    last = pk
                    if value is None:
                        continue
                    if isinstance(value, memoryview):
                        value = bytes(value)
                    context = crypto.context_for(store, dict(zip(names, ctx, strict=True)))
                    try:
                        new = self._new_value(store, value, context)
                    except crypto.InvalidToken:
                        if store.kind == "holder":
                            kept += 1  # a legacy draft: only its respondent can open it
                            continue
                        raise CommandError(
                            f"{store.label} {pk}: {store.field} cannot be decrypted with any configured key. "
                            "Nothing after this row was changed; restore the missing key and run again."
                        ) from None
                    if new is None:
                        continue
                    changed += 1
                    if not dry_run:
                        # Written as it is (the ORM would encrypt a field again), and only
                        # if nobody changed the value since it was read.
                        with connection.cursor() as cursor:
                            cursor.execute(
                                f"UPDATE {table} SET {column} = %s WHERE {pk_col} = %s AND {column} = %s",  # noqa: S608
                                [new, pk, value],
                            )
