"""Made-up survey results: for the demo, the tests and the scale benchmark.

``closed_campaign`` runs a campaign the way the surveys app would (the same coarsening of
units and staff-group bands), then writes responses directly, with answers drawn around a
per-unit mood so that units differ in believable ways. It never touches invitations to
people: nothing here links anyone to an answer.
"""

import datetime
import random
from collections import Counter, defaultdict

from django.db import connection, transaction

from staffwell.organisations.models import Membership, Unit
from staffwell.suppression import min_group_size
from staffwell.surveys import services as survey_services
from staffwell.surveys.models import Answer, Campaign, FreeTextAnswer, Instrument, Participation, Response

COMMENTS = [
    "More time between shifts to recover would help more than anything.",
    "Breaks get cut short on busy days and nobody notices until someone is unwell.",
    "Our team is supportive but we are always two people short.",
    "I would like my manager to check in more often, not only when something goes wrong.",
    "Rota changes at short notice make childcare very hard.",
    "Please fix the rest room so we have somewhere quiet to sit.",
    "Changes are announced without asking the people who do the work.",
    "Being able to swap shifts easily has made a big difference this year.",
    "The wellbeing sessions are good but I can never get released to go.",
    "Parking at night is a worry, especially in winter.",
    "I feel listened to in team meetings.",
    "Too many emails about change and not enough conversations.",
    "Access to hot food on night shifts would help a lot.",
    "Sometimes I do not know who to go to about a problem at work.",
]


def instrument(key: str) -> Instrument:
    return Instrument.objects.get(organisation=None, key=key, version=1)


def _standing(unit_id) -> float:
    """How a unit is doing, year on year: most near the middle, some doing well, some in trouble."""
    return random.Random(f"standing:{unit_id}").gauss(0, 0.75)  # noqa: S311 - made-up data


def _leaning(unit_id, scale: str) -> float:
    """A unit's own strengths and weaknesses: good peer support but heavy demands, say."""
    return random.Random(f"leaning:{unit_id}:{scale}").gauss(0, 0.45)  # noqa: S311 - made-up data


def closed_campaign(
    *,
    org,
    instrument: Instrument,
    name: str,
    closes_on: datetime.date,
    rate: float = 0.6,
    seed: int = 0,
    shift: float = 0.0,
    comments: bool = True,
    ask_staff_group: bool = True,
) -> Campaign:
    """A closed campaign over the whole organisation with responses from about ``rate`` of
    its active staff."""
    rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
    opens_on = closes_on - datetime.timedelta(days=21)
    roots = list(Unit.objects.for_org(org).filter(parent__isnull=True))
    members = list(Membership.objects.for_org(org).active().exclude(unit=None).values_list("unit_id", "staff_group"))
    k = min_group_size(org)
    mapping = survey_services.coarsen(member_units=Counter(u for u, _ in members), roots=roots, k=k)
    groups: dict[str, Counter] = defaultdict(Counter)
    for unit_id, staff_group in members:
        groups[survey_services.bucket_for(mapping.get(unit_id))][staff_group] += 1
    campaign = Campaign.objects.create(
        organisation=org,
        name=name,
        instrument=instrument,
        opens_on=opens_on,
        closes_on=closes_on,
        invitation_message="Please tell us how work is for you. Your answers are anonymous.",
        reminder_message="There is still time to answer the staff survey.",
        ask_staff_group=ask_staff_group,
        status=Campaign.Status.CLOSED,
        launched_on=opens_on,
        closed_on=closes_on,
        in_scope_count=len(members),
        report_units={str(u): s for u, s in mapping.items()},
        report_bands={b: survey_services.allowed_bands(c, k) for b, c in groups.items()} if ask_staff_group else {},
    )
    campaign.units.set(roots)
    questions = campaign.instrument.ordered_questions()
    scored = [q for q in questions if not q.is_free_text]
    free = [q for q in questions if q.is_free_text]
    mood: dict = {}
    responses, answers, texts = [], [], []
    per_bucket: Counter = Counter()
    for unit_id, staff_group in members:
        if rng.random() >= rate:
            continue
        stored = mapping.get(unit_id)
        band = campaign.stored_band(stored, staff_group)
        response = Response(campaign=campaign, unit_id=stored, staff_group=band, submitted_on=closes_on)
        responses.append(response)
        per_bucket[survey_services.bucket_for(stored)] += 1
        # Each unit has its own standing (the same in every survey, so a report tells a story),
        # its own strengths and weaknesses by scale, and this survey's movement from the last.
        unit_mood = mood.setdefault(unit_id, _standing(unit_id) + rng.gauss(shift, 0.35))
        for q in scored:
            values = q.response_set.values
            scale = q.scale.name if q.scale_id else str(q.number)
            centre = (min(values) + max(values)) / 2 + 0.55 + unit_mood + _leaning(unit_id, scale) + rng.gauss(0, 0.8)
            good = round(min(max(values), max(min(values), centre)))
            value = q.score(good)  # reverse-scored items are stored as answered
            answers.append(Answer(response=response, question=q, value=value))
        for q in free:
            if comments and rng.random() < 0.35:
                texts.append(FreeTextAnswer(campaign=campaign, question=q, unit_id=stored, text=rng.choice(COMMENTS)))
    with transaction.atomic():
        Response.objects.bulk_create(responses, batch_size=2000)
        Answer.objects.bulk_create(answers, batch_size=5000)
        FreeTextAnswer.objects.bulk_create(texts, batch_size=2000)
        # Participation holds counts only here: the demo has no real invitations.
        Participation.objects.bulk_create(
            [Participation(campaign=campaign, bucket=b, member_ids=[]) for b in sorted(groups)]
        )
    return campaign


def bulk_responses(*, campaign: Campaign, rows: list[tuple], questions: list, submitted_on, fast: bool = False) -> None:
    """Fast path for the scale generator: ``rows`` of (stored unit id, staff group, values).
    Uses COPY on PostgreSQL and the driver's executemany on SQLite. ``fast`` (PostgreSQL,
    superuser only) skips foreign-key triggers for a bulk load of consistent rows."""
    import secrets

    per = len(questions)
    ids = secrets.token_bytes(16 * len(rows) * (per + 1)).hex()
    day = submitted_on.isoformat()
    response_rows, answer_rows = [], []
    at = 0
    for unit_id, staff_group, values in rows:
        rid = ids[at : at + 32]
        at += 32
        response_rows.append((rid, campaign.pk, unit_id, staff_group, day))
        for q, v in zip(questions, values, strict=True):
            answer_rows.append((ids[at : at + 32], rid, q.pk, v))
            at += 32
    answer_rows.sort()  # keys in order: far fewer index pages touched per chunk
    response_rows.sort()
    r_table, a_table = Response._meta.db_table, Answer._meta.db_table
    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection
        if connection.vendor == "postgresql":
            with raw.cursor() as cursor:
                if fast:  # skip the per-row foreign key triggers: the rows are consistent by construction
                    cursor.execute("SET LOCAL session_replication_role = replica")
                with cursor.copy(
                    f"COPY {r_table} (id, campaign_id, unit_id, staff_group, submitted_on) FROM STDIN"
                ) as cp:
                    for row in response_rows:
                        cp.write_row(row)
                with cursor.copy(f"COPY {a_table} (id, response_id, question_id, value) FROM STDIN") as cp:
                    for row in answer_rows:
                        cp.write_row(row)
        else:
            raw.executemany(
                f"INSERT INTO {r_table} (id, campaign_id, unit_id, staff_group, submitted_on) VALUES (?, ?, ?, ?, ?)",  # noqa: S608
                response_rows,
            )
            raw.executemany(
                f"INSERT INTO {a_table} (id, response_id, question_id, value) VALUES (?, ?, ?, ?)",  # noqa: S608
                answer_rows,
            )
