import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from staffwell.absence import national
from staffwell.organisations.imports import ImportRejected


class Command(BaseCommand):
    help = "Load an NHS England published sickness absence CSV as national and peer comparison data."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", required=True, help="Where the file came from: its title or web address.")
        parser.add_argument("--published", help="Publication date, YYYY-MM-DD.")

    def handle(self, *args, file, source, published=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            published_on = datetime.date.fromisoformat(published) if published else None
        except ValueError:
            raise CommandError("--published must be a date like 2025-04-24.") from None
        try:
            release = national.load(path.read_bytes(), filename=path.name, source=source, published_on=published_on)
        except ImportRejected as exc:
            for error in exc.errors[:200]:
                self.stderr.write(error)
            raise CommandError(f"{path.name} was not loaded.") from None
        self.stdout.write(f"Loaded {release.rows:,} rows ({release.get_kind_display()} file).")
