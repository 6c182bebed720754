"""Ship the NHS Staff Council HSWG workplace health and safety standards as a second framework
(statements in staffwell's own words), so the same partnership self-assessment works for it."""

from django.db import migrations

FILE = "hswg-workplace-standards.csv"
SLUG = "hswg-workplace-standards"


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
    Framework.objects.filter(organisation__isnull=True, slug=SLUG).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_partnership_gaps")]
    operations = [migrations.RunPython(load, unload)]
