"""S10 absence beside the HSE Management Standards Indicator Tool's scale results, taken
from the reporting app's own public functions (so its suppression applies unchanged)."""

from staffwell.suppression import publication


def survey_scales(org, units) -> dict | None:
    """The latest closed HSE Indicator Tool survey's scale means for the organisation and
    each unit given, or None when there is none."""
    from staffwell.reporting.data import prepared
    from staffwell.reporting.reports import Scores
    from staffwell.surveys.models import Campaign

    campaign = (
        Campaign.objects.filter(organisation=org, status=Campaign.Status.CLOSED, instrument__key="hse-indicator-tool")
        .order_by("-closes_on", "-pk")
        .first()
    )
    if campaign is None:
        return None
    scores = Scores(prepared(campaign))
    rows = [{"label": org.name, "key": "org", "means": scores.scale_means("org")}]
    for unit in units:
        key = publication.unit_key(unit.pk)
        rows.append({"label": unit.name, "key": key, "means": scores.scale_means(key)})
    scales = list(rows[0]["means"])
    return {"campaign": campaign, "scales": scales, "rows": rows}
