"""Ship the default HSE benchmark table (as data, with its source), in every installation."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "hse-benchmark-unverified.csv"
NAME = "HSE Indicator Tool cut points (unverified)"


def load(apps, schema_editor):
    BenchmarkTable = apps.get_model("reporting", "BenchmarkTable")
    BenchmarkRow = apps.get_model("reporting", "BenchmarkRow")
    if BenchmarkTable.objects.filter(organisation=None, name=NAME).exists():
        return
    table = BenchmarkTable.objects.create(
        organisation=None,
        name=NAME,
        source=(
            "Percentile cut points as used by third-party re-implementations of HSE's Analysis Tool; "
            "not checked against an HSE publication."
        ),
        year=None,
        verified=False,
        in_use=True,
    )
    with CSV.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            BenchmarkRow.objects.create(
                table=table, scale=row["scale"], p20=float(row["p20"]), p50=float(row["p50"]), p80=float(row["p80"])
            )


def unload(apps, schema_editor):
    apps.get_model("reporting", "BenchmarkTable").objects.filter(organisation=None, name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
