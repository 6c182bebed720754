from tests.matrix import org_page
from tests.matrix.assessments import _action

BOTH = {"lead", "rep"}


def _unit(w):
    return {"org": w.org.slug, "unit_id": w.team.pk}


def _group(w):
    return {"org": w.org.slug, "group": "nursing_midwifery"}


def _reason(w):
    return {"org": w.org.slug, "group": "s10"}


def _measure(w):
    return {"org": w.org.slug, "action_id": _action(w)["action_id"]}


ENTRIES = {
    # Employer side and staff side see the same figures.
    "absence:overview": org_page(BOTH),
    "absence:unit": org_page(BOTH, kwargs=_unit),
    "absence:staff_group": org_page(BOTH, kwargs=_group),
    "absence:reason": org_page(BOTH, kwargs=_reason),
    "absence:stress": org_page(BOTH),
    "absence:msk": org_page(BOTH),
    "absence:national": org_page(BOTH),
    # The person who already imports the staff list from ESR.
    "absence:upload": org_page({"admin"}),
    "absence:measure": org_page(BOTH, kwargs=_measure),
}


def _change(w):
    import datetime

    from staffwell.absence.models import SeriesChange

    change, _ = SeriesChange.objects.get_or_create(
        organisation=w.org,
        unit=None,
        reason_group="all",
        month=datetime.date(2025, 6, 1),
        defaults={"reason": "New rostering system", "marked_by_name": "Lead"},
    )
    return {"org": w.org.slug, "change_id": change.pk}


def _definition(w):
    from staffwell.absence.models import TriggerDefinition

    definition, _ = TriggerDefinition.objects.get_or_create(
        organisation=w.org,
        spells=3,
        window_months=6,
        defaults={"proposed_by_name": "Lead", "proposed_side": "employer"},
    )
    return {"org": w.org.slug, "definition_id": definition.pk}


ENTRIES.update(
    {
        # Both sides see known changes and trigger counts; the lead marks changes; either side
        # proposes and agrees a trigger definition (POST only: a GET is 405).
        "absence:changes": org_page(BOTH),
        "absence:change_remove": org_page({"lead"}, kwargs=_change, ok=405),
        "absence:triggers": org_page(BOTH),
        "absence:trigger_propose": org_page(BOTH, ok=405),
        "absence:trigger_agree": org_page(BOTH, kwargs=_definition, ok=405),
    }
)
