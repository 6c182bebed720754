from django.db import migrations


def load(apps, schema_editor):
    from staffwell.surveys.instruments import load_shipped

    load_shipped(
        Instrument=apps.get_model("surveys", "Instrument"),
        Scale=apps.get_model("surveys", "Scale"),
        ResponseSet=apps.get_model("surveys", "ResponseSet"),
        Question=apps.get_model("surveys", "Question"),
    )


def unload(apps, schema_editor):
    apps.get_model("surveys", "Instrument").objects.filter(
        organisation=None, key__in=["hse-indicator-tool", "wellbeing-pulse"], version=1, campaigns__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
