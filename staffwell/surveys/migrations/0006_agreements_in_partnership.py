"""Question-set and campaign agreements move to the one partnership mechanism (issue 13):
each side's agreement becomes a ``partnership.Agreement`` row. The old columns are
dropped by the next migration."""

from django.db import migrations

from staffwell.partnership.migrations import _carry as carry


def forwards(apps, schema_editor):
    carry.forwards(
        apps,
        app_label="surveys",
        model_name="Instrument",
        kind="surveys.question_set",
        version=lambda i: i.version,
        organisation_id=lambda i: i.organisation_id,
    )
    carry.forwards(
        apps,
        app_label="surveys",
        model_name="Campaign",
        kind="surveys.campaign",
        version=lambda c: "draft",
        organisation_id=lambda c: c.organisation_id,
    )


def backwards(apps, schema_editor):
    carry.backwards(apps, app_label="surveys", model_name="Instrument", kind="surveys.question_set")
    carry.backwards(apps, app_label="surveys", model_name="Campaign", kind="surveys.campaign")


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0005_sealed_responses_no_reminder_counts"),
        ("partnership", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
