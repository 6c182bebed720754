from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from staffwell.absence import national
from staffwell.organisations.imports import ImportRejected


class Command(BaseCommand):
    help = (
        "Set NHS England's published sickness absence rates beside the rates staffwell computes from the "
        "same files' FTE days, row by row. Exits with an error if any differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")

    def handle(self, *args, files, **options):
        total = national.Check()
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file.")
            try:
                result = national.check(path.read_bytes())
            except ImportRejected as exc:
                raise CommandError(f"{path.name}: {exc.errors[0]}") from None
            for line, published, ours in result.mismatches[:20]:
                self.stderr.write(f"{path.name} row {line}: published {published}, staffwell {ours}")
            total.add(result)
        self.stdout.write(
            f"{len(files)} file(s), {total.rows:,} rows: {total.compared:,} published rates compared, "
            f"{total.matched:,} the same; "
            f"{total.blank:,} blank in the file; {total.ties:,} exact halves; "
            f"fewest FTE days available with a rate shown: {total.smallest_shown}."
        )
        if total.mismatches:
            raise CommandError(f"{len(total.mismatches):,} row(s) differ.")
