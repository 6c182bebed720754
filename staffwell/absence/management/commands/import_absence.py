from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from staffwell.absence import esr
from staffwell.organisations.models import Organisation


class Command(BaseCommand):
    help = "Import ESR sickness absence extracts for an organisation (all-or-nothing per file; only counts are kept)."

    def add_arguments(self, parser):
        parser.add_argument("org", help="The organisation's slug.")
        parser.add_argument("files", nargs="+", help="CSV extracts.")

    def handle(self, *args, org, files, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"No organisation with the slug '{org}'.")
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file.")
            try:
                record = esr.import_extract(organisation, path.read_bytes(), filename=path.name)
            except esr.ImportRejected as exc:
                for error in exc.errors[: esr.MAX_ERRORS_SHOWN]:
                    self.stderr.write(f"{path.name}: {error}")
                raise CommandError(f"{path.name} was not imported ({len(exc.errors)} problems).") from None
            self.stdout.write(
                f"{path.name}: {record.rows:,} rows, {record.first_month:%Y-%m} to {record.last_month:%Y-%m}."
            )
