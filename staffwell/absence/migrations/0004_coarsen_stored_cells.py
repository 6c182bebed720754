"""Coarsen the cells stored by imports made before coarsening (docs/absence.md, "Small groups
are combined before storing"): afterwards no stored cell holds fewer than the organisation's
minimum group. A month of fewer people than that in all is deleted. Not reversible: the small
cells are what must not be kept."""

from types import SimpleNamespace

from django.db import migrations


def forwards(apps, schema_editor):
    from staffwell import suppression
    from staffwell.absence.recoarsen import recoarsen_stored

    Organisation = apps.get_model("organisations", "Organisation")
    ReportingPolicy = apps.get_model("suppression", "ReportingPolicy")
    models = {
        name: apps.get_model("absence", name) for name in ("Population", "ReasonCount", "IncompleteGroup", "TriggerCount")
    }
    models["Unit"] = apps.get_model("organisations", "Unit")
    policies = dict(ReportingPolicy.objects.values_list("organisation_id", "min_group"))
    Population = models["Population"]
    for org_id in Organisation.objects.filter(
        pk__in=Population.objects.values_list("organisation_id", flat=True).distinct()
    ).values_list("pk", flat=True):
        policy = SimpleNamespace(min_reporting_group=policies.get(org_id), free_text_min_group=None)
        recoarsen_stored(org_id, suppression.min_group_size(policy), models=models)


class Migration(migrations.Migration):
    dependencies = [
        ("absence", "0003_coarsened_cells"),
        ("suppression", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
