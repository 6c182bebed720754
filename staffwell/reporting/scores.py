"""What a survey report is made of: the HSE bands and benchmark, who may see which groups
(``Audience``), scored means and answer shares for a group (``Scores``, every figure through
the campaign's plan), and the national benchmark table."""

from dataclasses import dataclass

import numpy as np

from staffwell.core.permissions import Perm
from staffwell.reporting.data import Prepared, prepared
from staffwell.reporting.models import BenchmarkTable
from staffwell.suppression import Figure, publication
from staffwell.surveys.models import Campaign

HSE_KEY = "hse-indicator-tool"

BANDS = [
    # (key, label, short label)
    ("urgent", "Urgent action needed", "Urgent action"),
    ("improve", "Clear need for improvement", "Needs improvement"),
    ("good", "Good, but need for improvement", "Good"),
    ("very-good", "Doing very well, need to maintain performance", "Very good"),
]


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    short: str

    def as_json(self) -> dict:
        return {"key": self.key, "label": self.label}


def band_for(score: float, cuts: tuple[float, float, float] | None) -> Band | None:
    if cuts is None:
        return None
    p20, p50, p80 = cuts
    index = 0 if score < p20 else 1 if score < p50 else 2 if score < p80 else 3
    return Band(*BANDS[index])


def benchmark_for(org) -> BenchmarkTable | None:
    chosen = BenchmarkTable.objects.filter(organisation=org, in_use=True).first()
    return chosen or BenchmarkTable.objects.filter(organisation=None, in_use=True).first()


# --- audience ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """What one member may see of a campaign's reports."""

    all_units: bool  # leads and reps: the whole organisation
    unit_ids: frozenset  # line managers: the units they manage and every unit below
    filters: bool  # the staff-group breakdown

    @classmethod
    def of(cls, membership, prep: Prepared) -> "Audience":
        if membership.has_perm(Perm.VIEW_ORG_AGGREGATES):
            return cls(True, frozenset(prep.units), True)
        if membership.has_perm(Perm.VIEW_TEAM_AGGREGATES):
            managed = {u.pk for u in membership.managed_units()}
            ids = {u for u in prep.units if managed & set(prep.tree.chain(u))}
            return cls(False, frozenset(ids), False)
        return cls(False, frozenset(), False)

    def may_see(self, key: str) -> bool:
        if key == "org":
            return True
        if "|sg:" in key:
            return self.filters
        return int(key.split(":")[1]) in self.unit_ids


# --- figures ----------------------------------------------------------------------------


class Scores:
    """Scored means and answer shares for groups of one prepared campaign."""

    def __init__(self, prep: Prepared):
        self.prep = prep
        self.score = np.zeros((len(prep.questions), len(prep.values)))
        for i, q in enumerate(prep.questions):
            for j, v in enumerate(prep.values):
                self.score[i, j] = q.score(v) if v in q.response_set.values else 0
        self.scales: dict[str, list[int]] = {}
        for i, q in enumerate(prep.questions):
            name = q.scale.name if q.scale_id else f"Question {q.number}"
            self.scales.setdefault(name, []).append(i)

    def figure(self, key: str, compute) -> Figure:
        return self.prep.plan.figure(key, compute)

    def respondents(self, key: str) -> Figure:
        return self.figure(key, lambda: self.prep.respondents(key))

    def scale_means(self, key: str) -> dict[str, Figure]:
        def mean(rows):
            def compute():
                h = self.prep.hist(key)[rows]
                answered = h.sum()
                return round(float((h * self.score[rows]).sum() / answered), 2) if answered else None

            return compute

        return {name: self.figure(key, mean(rows)) for name, rows in self.scales.items()}

    def question_means(self, key: str) -> list[Figure]:
        def mean(i):
            def compute():
                h = self.prep.hist(key)[i]
                return round(float((h * self.score[i]).sum() / h.sum()), 2) if h.sum() else None

            return compute

        return [self.figure(key, mean(i)) for i in range(len(self.prep.questions))]

    def favourable(self, key: str) -> list[Figure]:
        """Share giving one of the two best answers (after reverse scoring)."""

        def share(i):
            def compute():
                h = self.prep.hist(key)[i]
                top = self.score[i] >= max(self.score[i]) - 1
                return round(float(100 * h[top].sum() / h.sum()), 1) if h.sum() else None

            return compute

        return [self.figure(key, share(i)) for i in range(len(self.prep.questions))]

    def distribution(self, key: str) -> list[dict]:
        out = []
        for i, q in enumerate(self.prep.questions):
            values = q.response_set.values

            def share(j, i=i):
                def compute():
                    h = self.prep.hist(key)[i]
                    return round(float(100 * h[j] / h.sum()), 1) if h.sum() else None

                return compute

            out.append(
                {
                    "number": q.number,
                    "text": q.text,
                    "scale": q.scale.name if q.scale_id else "",
                    "reverse_scored": q.reverse_scored,
                    "answers": [
                        {
                            "label": q.response_set.label_for(v),
                            "percent": self.figure(key, share(self.prep.values.index(v))),
                        }
                        for v in values
                    ],
                }
            )
        return out


def group_label(prep: Prepared, key: str) -> str:
    if key == "org":
        return "Whole organisation"
    if "|sg:" in key:
        from staffwell.organisations.models import StaffGroup

        group = key.split("|sg:")[1]
        return f"Staff group: {StaffGroup(group).label if group in StaffGroup.values else group}"
    unit = prep.units[int(key.split(":")[1])]
    names = [prep.units[u].name for u in reversed(prep.tree.chain(unit.pk)) if u in prep.units]
    return " > ".join(names)


def rows_for(prep: Prepared, audience: Audience) -> list[str]:
    """The groups an audience sees, organisation first, then units in tree order, then
    staff groups."""
    units = sorted(
        (u for u in prep.units if audience.may_see(publication.unit_key(u))),
        key=lambda u: [prep.units[a].name.lower() for a in reversed(prep.tree.chain(u)) if a in prep.units],
    )
    keys = ["org", *(publication.unit_key(u) for u in units)]
    if audience.filters:
        keys += [publication.filter_key(None, g) for g in prep.staff_groups]
    return keys


def previous_campaign(campaign: Campaign) -> Campaign | None:
    earlier = (
        Campaign.objects.for_org(campaign.organisation)
        .filter(instrument__key=campaign.instrument.key, closes_on__lt=campaign.opens_on)
        .exclude(pk=campaign.pk)
        .order_by("-closes_on")
    )
    return next((c for c in earlier if c.phase == "Closed"), None)


# --- national ---------------------------------------------------------------------------


def national_table(campaigns=None) -> dict:
    """Every organisation's seven HSE scale scores from its latest closed HSE campaign, each
    through that campaign's own plan, and the 20th/50th/80th percentiles across
    organisations: a benchmark table made from staffwell's own data."""
    if campaigns is None:
        latest: dict[int, Campaign] = {}
        for c in Campaign.objects.filter(instrument__key=HSE_KEY).select_related("instrument", "organisation"):
            if c.phase == "Closed" and (
                c.organisation_id not in latest or c.closes_on > latest[c.organisation_id].closes_on
            ):
                latest[c.organisation_id] = c
        campaigns = list(latest.values())
    rows = []
    for c in campaigns:
        means = Scores(prepared(c)).scale_means("org")
        rows.append({"organisation": c.organisation, "campaign": c, "scales": means})
    scales = list(rows[0]["scales"]) if rows else []
    percentiles = {}
    for scale in scales:
        values = [r["scales"][scale].value for r in rows if not r["scales"][scale].suppressed]
        if len(values) >= 5:  # too few organisations make a poor benchmark
            p20, p50, p80 = np.percentile(values, [20, 50, 80])
            percentiles[scale] = (round(float(p20), 4), round(float(p50), 4), round(float(p80), 4))
    return {"rows": rows, "percentiles": percentiles}
