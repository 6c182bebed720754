"""The thresholds model, taken over from reporting with its table unchanged (issue 13)."""

import django.db.models.deletion
from django.db import migrations, models


def content_type_follows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="reporting", model="reportingpolicy").update(app_label="suppression")


def content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="suppression", model="reportingpolicy").update(app_label="reporting")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("organisations", "0001_initial"),
        ("reporting", "0007_reportingpolicy_moves_to_suppression"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReportingPolicy",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("min_group", models.PositiveSmallIntegerField(default=10)),
                        ("free_text_min_group", models.PositiveSmallIntegerField(default=15)),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "organisation",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reporting_policy",
                                to="organisations.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reporting_reportingpolicy",
                        "verbose_name_plural": "reporting policies",
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("min_group__gte", 5)), name="min_group_not_below_floor"),
                            models.CheckConstraint(
                                condition=models.Q(("free_text_min_group__gte", models.F("min_group"))),
                                name="free_text_not_below_min_group",
                            ),
                        ],
                    },
                ),
            ]
        ),
        migrations.RunPython(content_type_follows, content_type_back),
    ]
