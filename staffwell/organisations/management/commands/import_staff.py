from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from staffwell.organisations import imports
from staffwell.organisations.models import Organisation


class Command(BaseCommand):
    help = "Import a staff list CSV (ESR shape) into an organisation. All or nothing; see docs/staff-import.md."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="The organisation's short name (slug) or ODS code")
        parser.add_argument("csv_file", type=Path)
        parser.add_argument("--check", action="store_true", help="Check the file only; change nothing")
        parser.add_argument(
            "--allow-many-leavers",
            action="store_true",
            help="Accept a file that marks more than 1 in 10 current staff as leavers",
        )
        parser.add_argument(
            "--allow-new-units",
            action="store_true",
            help="Create units the organisation does not have yet (without this they are listed and refused)",
        )

    def handle(
        self,
        *args,
        organisation: str,
        csv_file: Path,
        check: bool,
        allow_many_leavers: bool,
        allow_new_units: bool,
        **options,
    ):
        org = (
            Organisation.objects.filter(slug=organisation).first()
            or Organisation.objects.filter(ods_code__iexact=organisation).first()
        )
        if org is None:
            raise CommandError(f"No organisation with the short name or ODS code '{organisation}'.")
        try:
            content = csv_file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {csv_file}: {exc.strerror}.") from exc

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"\rChecked {done:,} of {total:,} rows", ending="")
            self.stdout.flush()

        try:
            text = imports.decode(content, max_bytes=settings.STAFFWELL_IMPORT_MAX_BYTES)
            rows = imports.parse(text, on_progress=progress)
            self.stdout.write("")
            if check:
                self.stdout.write(self.style.SUCCESS(f"{len(rows):,} rows are fine. Nothing was changed (--check)."))
                return
            self.stdout.write("Applying changes...")
            summary = imports.apply(org, rows, allow_many_leavers=allow_many_leavers, allow_new_units=allow_new_units)
        except imports.ImportRejected as rejected:
            self.stdout.write("")
            for error in rejected.errors:
                self.stderr.write(error)
            raise CommandError(f"Not imported: {len(rejected.errors)} problem(s). Nothing was changed.") from None
        self.stdout.write(self.style.SUCCESS("Imported. " + ", ".join(f"{k}: {v}" for k, v in summary.items())))
