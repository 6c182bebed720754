"""Synthetic survey data at national scale, for the reporting benchmark.

    manage.py generate_survey_data                      700,000 respondents (about 25 million answers)
    manage.py generate_survey_data --respondents 20000  a small run

Makes ``--organisations`` made-up trusts with deep unit trees (the largest with
``--largest`` respondents in about ``--largest-units`` units) and one closed HSE Indicator
Tool campaign each, answered by ``--rate`` of the staff invited (answers drawn around a mood
per unit). Units are coarsened and staff-group bands allowed exactly as the surveys app does
at launch. Rows go in with COPY on PostgreSQL and executemany on SQLite. No people or
accounts are created: responses never link to anyone.
"""

import datetime
import random
import zlib
from collections import Counter, defaultdict

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from staffwell.organisations.models import Organisation, StaffGroup, Unit
from staffwell.reporting import synthetic
from staffwell.suppression import DEFAULT_MIN_GROUP
from staffwell.surveys import services as survey_services
from staffwell.surveys.models import Campaign

GROUP_WEIGHTS = {
    StaffGroup.NURSING_MIDWIFERY: 0.30,
    StaffGroup.ADDITIONAL_CLINICAL: 0.22,
    StaffGroup.ADMIN_CLERICAL: 0.20,
    StaffGroup.MEDICAL_DENTAL: 0.10,
    StaffGroup.ALLIED_HEALTH: 0.08,
    StaffGroup.ESTATES_ANCILLARY: 0.05,
    StaffGroup.ADD_PROF_SCIENTIFIC: 0.03,
    StaffGroup.HEALTHCARE_SCIENTISTS: 0.02,
}


class Command(BaseCommand):
    help = "Generate synthetic organisations and closed HSE survey responses for the reporting benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=50)
        parser.add_argument("--respondents", type=int, default=700_000)
        parser.add_argument("--largest", type=int, default=20_000)
        parser.add_argument("--largest-units", type=int, default=1_000)
        parser.add_argument("--rate", type=float, default=0.6, help="The share of invited staff who respond.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefix", default="synthetic")

    def handle(self, *args, **o):
        if o["organisations"] < 1 or o["respondents"] < o["largest"]:
            raise CommandError("Need at least one organisation and at least --largest respondents.")
        rng = random.Random(o["seed"])  # noqa: S311 - made-up data
        np_rng = np.random.default_rng(o["seed"])
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:  # a bulk load: durability per row is not needed
                cursor.execute("PRAGMA synchronous=OFF")
                cursor.execute("PRAGMA cache_size=-500000")
        self.fast = False
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                self.fast = bool(cursor.fetchone()[0])
        hse = synthetic.instrument("hse-indicator-tool")
        questions = [q for q in hse.ordered_questions() if not q.is_free_text]
        others = o["organisations"] - 1
        rest = o["respondents"] - o["largest"]
        sizes = [o["largest"]] + [rest // others + (1 if i < rest % others else 0) for i in range(others)]
        for i, size in enumerate(sizes):
            if size <= 0:
                continue
            units = o["largest_units"] if i == 0 else max(5, size // 25)
            org = Organisation.objects.create(
                name=f"Synthetic Trust {o['prefix']} {i + 1}",
                slug=f"{o['prefix']}-{i + 1}",
                ods_code=f"S{zlib.crc32(o['prefix'].encode()) % 1000:03d}{i:05d}",
            )
            self._organisation(org, size, units, rng, np_rng, hse, questions, o["rate"])
            self.stdout.write(f"{org.name}: {size:,} respondents in {units:,} units")

    def _organisation(self, org, size, n_units, rng, np_rng, hse, questions, rate) -> None:
        respondents, size = size, round(size / rate)  # ``size`` is now the staff invited
        with transaction.atomic():
            units = _tree(org, n_units, rng)
        parents = {u.parent_id for u in units}
        leaves = [u for u in units if u.pk not in parents] or units
        weights = np_rng.gamma(1.5, 1.0, len(leaves))
        counts = np_rng.multinomial(size, weights / weights.sum())
        groups = list(GROUP_WEIGHTS)
        probabilities = np.array(list(GROUP_WEIGHTS.values()))
        # Every directorate holds at least a few dozen people (as in any real trust), so
        # nothing has to be merged into the organisation level.
        top_of = {}
        by_id = {u.pk: u for u in units}
        for leaf in leaves:
            top = leaf
            while top.parent_id is not None:
                top = by_id[top.parent_id]
            top_of[leaf.pk] = top.pk
        per_top = Counter()
        for leaf, n in zip(leaves, counts, strict=True):
            per_top[top_of[leaf.pk]] += int(n)
        for i, leaf in enumerate(leaves):
            if per_top[top_of[leaf.pk]] < 3 * DEFAULT_MIN_GROUP:
                counts[i] += 3 * DEFAULT_MIN_GROUP
                per_top[top_of[leaf.pk]] += 3 * DEFAULT_MIN_GROUP
        people = []  # (member unit, staff group)
        for unit, n in zip(leaves, counts, strict=True):
            for g in np_rng.choice(len(groups), size=int(n), p=probabilities / probabilities.sum()):
                people.append((unit.pk, groups[g].value))
        roots = [u for u in units if u.parent_id is None]
        mapping = survey_services.coarsen(member_units=Counter(u for u, _ in people), roots=roots, k=DEFAULT_MIN_GROUP)
        bands: dict[str, Counter] = defaultdict(Counter)
        for unit_id, group in people:
            bands[survey_services.bucket_for(mapping.get(unit_id))][group] += 1
        closes = timezone.localdate() - datetime.timedelta(days=10)
        with transaction.atomic():
            campaign = Campaign.objects.create(
                organisation=org, name="HSE stress risk survey", instrument=hse,
                opens_on=closes - datetime.timedelta(days=28), closes_on=closes,
                invitation_message="Synthetic", reminder_message="Synthetic", ask_staff_group=True,
                status=Campaign.Status.CLOSED, launched_on=closes - datetime.timedelta(days=28), closed_on=closes,
                in_scope_count=len(people), report_units={str(u): s for u, s in mapping.items()},
                report_bands={b: survey_services.allowed_bands(c, DEFAULT_MIN_GROUP) for b, c in bands.items()},
            )  # fmt: skip
            campaign.units.set(roots)
        mood = {u.pk: np_rng.normal(0, 0.5) for u in units}
        chosen = np_rng.choice(len(people), size=min(respondents, len(people)), replace=False)
        people = [people[i] for i in sorted(chosen)]
        reverse = np.array([q.reverse_scored for q in questions])
        chunk = 20_000
        for start in range(0, len(people), chunk):
            part = people[start : start + chunk]
            centre = 3.2 + np.array([mood[u] for u, _ in part])[:, None]
            good = np.clip(np.rint(centre + np_rng.normal(0, 0.9, (len(part), len(questions)))), 1, 5).astype(int)
            values = np.where(reverse[None, :], 6 - good, good)
            rows = []
            for (unit_id, group), answers in zip(part, values.tolist(), strict=True):
                stored = mapping.get(unit_id)
                rows.append((stored, campaign.stored_band(stored, group), answers))
            synthetic.bulk_responses(
                campaign=campaign, rows=rows, questions=questions, submitted_on=closes, fast=self.fast
            )


def _tree(org, n_units: int, rng) -> list[Unit]:
    """Directorates, then departments and teams below them, down to six levels."""
    tops = max(3, min(12, n_units // 60))
    units: list[Unit] = []
    for i in range(min(tops, n_units)):
        units.append(Unit.objects.create(organisation=org, name=f"Directorate {i + 1}"))
    depth = {u.pk: 0 for u in units}
    while len(units) < n_units:
        parent = rng.choice([u for u in units[-200:] if depth[u.pk] < 5] or units[:tops])
        unit = Unit.objects.create(organisation=org, parent=parent, name=f"Unit {len(units) + 1}")
        depth[unit.pk] = depth[parent.pk] + 1
        units.append(unit)
    return units
