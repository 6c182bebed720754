"""Demo absence for Northgate: three years of monthly ESR extracts, imported through the
real import (so only counts are stored). Each extract has a row for every one of Northgate's
own people (the staff list's person numbers, units, staff groups and FTE) and, as a real
trust's ESR extract would, for the rest of the workforce who are not (yet) on staffwell's
staff list, in the same units: about 2,500 people, the size of a small acute trust.

Winter peaks, and one real special cause: stress absence in the Emergency Department rose
for ten months, then fell after the rest room action started. That action in the demo
action plan names the stress absence of Emergency and Urgent Care (the Emergency Department
with Acute Medicine) as its measure: the Emergency Department's own stress series is mostly
withheld, since with its parent's it would give Acute Medicine's few (docs/absence.md,
"Suppression"). Both sides
agreed a trigger of 3 spells in 6 months, counted from a 12-month extract."""

import datetime
import random

from staffwell.absence import esr, synthetic
from staffwell.absence.models import ActionMeasure
from staffwell.organisations.models import Membership, StaffGroup, Unit

ED = "Emergency and Urgent Care > Emergency Department"
ACTION_MONTH = 22  # of 36
SEED = 7
# The Emergency Department: stress absence rose for ten months (busy winters, a staffing
# gap), then fell after the rest room opened.
ED_CHANGES = [(12, ACTION_MONTH - 1, "S10", 3.0), (ACTION_MONTH, 35, "S10", 0.7)]


def _size(path: str) -> int:
    """People in ESR for a team: the Emergency Department's teams are large."""
    return 230 if path.startswith(ED) else 45 + (len(path) % 3) * 5


def _paths(org) -> dict[int, str]:
    units = {u.pk: u for u in Unit.objects.for_org(org)}
    paths = {}
    for pk in units:
        chain, node = [], units[pk]
        while node is not None:
            chain.append(node.name)
            node = units.get(node.parent_id)
        paths[pk] = " > ".join(reversed(chain))
    return paths


def people(org) -> list[tuple[str, str, str, float]]:
    """The organisation's own people, as the synthetic extract needs them."""
    paths = _paths(org)
    labels = dict(StaffGroup.choices)
    return [
        (m.person_id, paths.get(m.unit_id, ""), labels.get(m.staff_group, "Unknown"), float(m.fte))
        for m in Membership.objects.for_org(org).active().order_by("person_id")
    ]


def _agree_trigger(org) -> None:
    """Northgate's absence policy: 3 spells in 6 months, proposed by the staff side and agreed
    by the employer side."""
    from staffwell.absence import triggers

    side = {
        m.email: m
        for m in Membership.objects.for_org(org).filter(email__in=["lead@northgate.example", "rep@northgate.example"])
    }
    if len(side) < 2:
        return
    definition = triggers.propose(membership=side["rep@northgate.example"], spells=3, window_months=6)
    triggers.agree(definition=definition, membership=side["lead@northgate.example"])


# Who else is in a team's ESR extract, by kind of team, roughly as in an acute trust: wards
# are nurses and healthcare assistants with a ward clerk or two, radiographers and operating
# department practitioners are allied health professionals in Imaging and Theatres, and so
# on. Doctors are on their specialty's own cost centre (the department), not on a ward's.
# So most staff groups are large enough somewhere to be stored as themselves, as in a real
# trust; the staff list's own people (staffwell.demo.data) are spread more thinly.
NURSE, HCA, ADMIN, AHP = (
    "Nursing and Midwifery Registered", "Additional Clinical Services", "Administrative and Clerical",
    "Allied Health Professionals",
)  # fmt: skip
WARD = [(NURSE, 0.58), (HCA, 0.36), (ADMIN, 0.06)]
TEAMS = {
    "Imaging": [(AHP, 0.7), (HCA, 0.15), (ADMIN, 0.15)],
    "Dispensary": [("Add Prof Scientific and Technic", 0.75), (ADMIN, 0.25)],
    "Main Theatres": [(NURSE, 0.45), (AHP, 0.35), (HCA, 0.2)],
    "Day Surgery Unit": [(NURSE, 0.5), (AHP, 0.3), (HCA, 0.2)],
    "Cardiac Catheter Lab": [(NURSE, 0.45), (AHP, 0.35), (HCA, 0.2)],
    "Respiratory Outpatients": [(NURSE, 0.4), (AHP, 0.3), (HCA, 0.15), (ADMIN, 0.15)],
    "Portering": [("Estates and Ancillary", 0.92), (ADMIN, 0.08)],
    "Domestic Services": [("Estates and Ancillary", 0.95), (ADMIN, 0.05)],
    "Catering": [("Estates and Ancillary", 0.95), (ADMIN, 0.05)],
    "HR Advisory": [(ADMIN, 1.0)],
    "Financial Accounts": [(ADMIN, 1.0)],
    "Service Desk": [(ADMIN, 1.0)],
    "Occupational Health": [(NURSE, 0.5), (ADMIN, 0.3), (AHP, 0.2)],
    "Community Midwives": [(NURSE, 0.85), (ADMIN, 0.15)],
}
NON_CLINICAL = "Corporate Services"


def _doctors(department: str) -> int:
    """Doctors on a clinical department's own cost centre: 14 to 30."""
    return 14 + (len(department) * 7) % 17


def workforce(org) -> list[tuple[str, str, str, float]]:
    """Northgate's own people, and the rest of each team's ESR workforce made up to its size
    (and each clinical department's doctors)."""
    staff = people(org)
    rnd = random.Random(SEED)  # noqa: S311 - synthetic data, not secrets
    have: dict[str, int] = {}
    for p in staff:
        have[p[1]] = have.get(p[1], 0) + 1
    units = list(Unit.objects.for_org(org))
    parents = {u.parent_id for u in units}
    paths = _paths(org)
    leaves = sorted(path for pk, path in paths.items() if pk not in parents)
    departments = sorted(paths[u.pk] for u in units if u.depth == 1 and not paths[u.pk].startswith(NON_CLINICAL))
    n = 0

    def add(path, group):
        nonlocal n
        n += 1
        staff.append((f"E{n:07d}", path, group, rnd.choice((1.0, 1.0, 1.0, 0.8, 0.6))))

    for path in leaves:
        groups, weights = zip(*TEAMS.get(path.rsplit(" > ", 1)[-1], WARD), strict=True)
        for _ in range(max(0, _size(path) - have.get(path, 0))):
            add(path, rnd.choices(groups, weights)[0])
    for path in departments:
        for _ in range(max(0, _doctors(path) - have.get(path, 0))):
            add(path, "Medical and Dental")
    return staff


def load(*, org, other_org, today: datetime.date | None = None) -> None:
    months = synthetic.months_back(36, today=today)
    staff = workforce(org)
    changes = {path: ED_CHANGES for path in {p[1] for p in staff} if path.startswith(ED)}
    last_year: list[list[str]] = []
    for month, rows in synthetic.by_month((), months, seed=SEED, ods=org.ods_code, changes=changes, people=staff):
        esr.import_extract(org, synthetic.to_csv(rows), filename=f"esr-absence-{month:%Y-%m}.csv")
        if month >= months[-12]:
            last_year += rows
    _agree_trigger(org)
    # The 12-month extract the trust pulls for its policy review: the same rows again, so the
    # figures do not change, and the agreed trigger is counted for its last 7 months.
    esr.import_extract(org, synthetic.to_csv(last_year), filename="esr-absence-last-12-months.csv")

    from staffwell.assessments.models import Action

    action = (
        Action.objects.filter(cycle__organisation=org, title__startswith="Open a staff rest room")
        .order_by("pk")
        .first()
    )
    # The directorate, not the Emergency Department: the department's stress series is mostly
    # withheld (with the directorate's, it would give Acute Medicine's few people away).
    ed = Unit.objects.for_org(org).filter(name="Emergency and Urgent Care").first()
    if action is not None and ed is not None:
        start = months[ACTION_MONTH]
        ActionMeasure.objects.update_or_create(
            action=action,
            defaults={"unit": ed, "reason_group": "stress", "starts_on": datetime.date(start.year, start.month, 1)},
        )
