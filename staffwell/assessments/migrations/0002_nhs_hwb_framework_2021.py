"""Ship the NHS Health and Wellbeing Framework (2021) in every installation."""

from django.db import migrations

FILE = "nhs-hwb-2021.csv"


def load(apps, schema_editor):
    from staffwell.assessments import loader

    models = {
        name: apps.get_model("assessments", name)
        for name in ("Framework", "RatingLevel", "Element", "SubElement", "Statement")
    }
    parsed = loader.shipped(FILE)
    if models["Framework"].objects.filter(organisation__isnull=True, slug=parsed.slug).exists():
        return
    loader.store(parsed, organisation=None, filename=FILE, models=models)


def unload(apps, schema_editor):
    Framework = apps.get_model("assessments", "Framework")
    Framework.objects.filter(organisation__isnull=True, slug="nhs-hwb-2021").delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
