"""Make a benchmark table from staffwell's own data: the 20th, 50th and 80th percentiles of
the organisation-level HSE scale scores of every organisation's latest closed HSE survey.
Each organisation's scores are taken through its own publication plan, so an organisation
whose overall result is not shown does not count. Needs at least five organisations.

    manage.py build_national_benchmark [--use]

``--use`` makes it the shipped default in place of the current one.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from staffwell.reporting import reports
from staffwell.reporting.models import BenchmarkRow, BenchmarkTable


class Command(BaseCommand):
    help = "Build an HSE benchmark table from the organisation-level results of every organisation."

    def add_arguments(self, parser):
        parser.add_argument(
            "--use", action="store_true", help="Make it the default for organisations without their own."
        )

    def handle(self, *args, **options):
        table = reports.national_table()
        if len(table["percentiles"]) < 7:
            raise CommandError(
                f"Only {len(table['rows'])} organisations have results; at least five are needed for every scale."
            )
        year = timezone.localdate().year
        with transaction.atomic():
            if options["use"]:
                BenchmarkTable.objects.filter(organisation=None, in_use=True).update(in_use=False)
            benchmark = BenchmarkTable.objects.create(
                organisation=None,
                name=f"staffwell organisations {year}",
                source=(
                    f"Organisation-level scale scores from the latest closed HSE Indicator Tool survey of "
                    f"{len(table['rows'])} organisations using staffwell, each as published under its own "
                    "minimum group and complementary suppression."
                ),
                year=year,
                verified=True,
                in_use=options["use"],
            )
            BenchmarkRow.objects.bulk_create(
                BenchmarkRow(table=benchmark, scale=scale, p20=p20, p50=p50, p80=p80)
                for scale, (p20, p50, p80) in table["percentiles"].items()
            )
        self.stdout.write(f"{benchmark} made from {len(table['rows'])} organisations.")
