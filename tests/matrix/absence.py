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
