"""Check-ins that contribute, unlinkably, to the organisation's anonymous pulse figures.

A person may choose, on a check-in, to add its mood to their team's pulse. A check-in is
a record owned by a known person with an exact time, so the contribution is never written
as a response when they check in. Instead (docs/survey-anonymity.md):

1. ``contribute`` (``checked_in`` with the choice made) adds it to the organisation's
   **pool for the week**: one row per organisation and week, its whole content encrypted
   with the application's keys (``staffwell.core.crypto``, not in the database) and padded
   to a fixed block size. The pool holds no owner, no check-in, no time finer than the
   week. Inside, each person has one entry (a keyed pseudonym, so a second check-in that
   week replaces the first) with their unit and mood. Nothing is written on the check-in.
   Every check-in, contributing or not, goes through ``checked_in``: the week's pools are
   made for every organisation if missing (never for one alone), and the person's pools
   are re-sealed whether or not their mood goes in, so neither a pool's existence nor a
   check-in's commit says whether anyone contributed.
2. ``release`` (the daily ``release_checkin_contributions`` command) takes each pool whose
   week has ended. If it holds fewer people than the organisation's minimum reporting
   group, it waits: its entries move to the next week's pool. Otherwise units are
   coarsened up the unit tree until each stands for at least that many contributors, and
   the entries become ordinary responses to the shipped pulse instrument in the
   organisation's standing **check-in pulse** campaign for the month, dated to the week's
   Monday, written in an order that depends only on the answers (never on who or when).
   The pool is then deleted, pseudonyms and all.
"""

import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from staffwell.core import audit, crypto
from staffwell.organisations.models import Membership, Organisation, Unit
from staffwell.suppression import min_group_size
from staffwell.surveys.models import Answer, Campaign, ContributionPool, Instrument, Response
from staffwell.surveys.services import coarsen

PULSE_KEY = "wellbeing-pulse"
FEELING_SET = "feeling"  # the pulse question a check-in's mood answers
PURPOSE = "checkin-pool"  # its key in staffwell.core.crypto (crypto.SEALED)
PAD_BLOCK = 8192  # plaintext is padded to a multiple of this: hides how many contributed
MOOD_VALUES = range(1, 6)


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week ``day`` is in."""
    return day - dt.timedelta(days=day.weekday())


# --------------------------------------------------------------------------- the sealed pool


def _hash_key() -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), b"staffwell.survey.contribution-pool", "sha256").digest()


def _aad(org_id: int, week: dt.date) -> bytes:
    return f"pool:{org_id}:{week.isoformat()}".encode()


def pseudonym(*, org_id: int, user_id: int) -> str:
    """A keyed pseudonym for one person in one organisation, kept only inside a sealed
    pool (so a second check-in in a week replaces the first), never in a column."""
    return hmac.new(_hash_key(), f"person:{org_id}:{user_id}".encode(), hashlib.sha256).hexdigest()


def seal(*, org_id: int, week: dt.date, entries: dict[str, dict]) -> bytes:
    plain = json.dumps(entries, sort_keys=True, separators=(",", ":")).encode()
    padded = plain + b" " * (PAD_BLOCK - len(plain) % PAD_BLOCK)
    return crypto.seal(padded, purpose=PURPOSE, context=_aad(org_id, week))


def unseal(pool: ContributionPool) -> dict[str, dict]:
    blob = bytes(pool.ciphertext)
    if not blob:
        return {}
    try:
        plain = crypto.unseal(blob, purpose=PURPOSE, context=_aad(pool.organisation_id, pool.week))
    except crypto.InvalidToken:
        raise ValueError("The contribution pool cannot be read with the configured encryption keys.") from None
    return json.loads(plain.decode().rstrip())


def _locked_pool(org_id: int, week: dt.date) -> ContributionPool:
    """The week's pool, locked until the transaction ends. If it does not exist yet, the
    week's pools are created for every organisation at once (``ensure_pools``): a pool
    never appears for one organisation because something was put in it."""
    if not ContributionPool.objects.filter(organisation_id=org_id, week=week).exists():
        ensure_pools(week)
    return ContributionPool.objects.select_for_update().get(organisation_id=org_id, week=week)


def ensure_pools(week: dt.date) -> int:
    """Create the week's (empty, padded) pool for every organisation that has none, so a
    pool's existence says nothing about whether anyone contributed. Called by the release
    command at the start of each week, on every check-in (contributing or not) and whenever
    a pool is needed and missing. Returns how many were made."""
    have = set(ContributionPool.objects.filter(week=week).values_list("organisation_id", flat=True))
    missing = [pk for pk in Organisation.objects.order_by("pk").values_list("pk", flat=True) if pk not in have]
    if not missing:
        return 0
    rows = [
        ContributionPool(organisation_id=pk, week=week, ciphertext=seal(org_id=pk, week=week, entries={}))
        for pk in missing
    ]
    # One made at the same moment by another check-in stands: it is just as empty.
    ContributionPool.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# --------------------------------------------------------------------------- contributing


def can_contribute(user) -> bool:
    return Membership.objects.active().filter(user=user).exists()


def min_group_for(user) -> int:
    """The largest minimum reporting group among the person's organisations (for the
    check-in form's explanation)."""
    orgs = Organisation.objects.filter(pk__in=Membership.objects.active().filter(user=user).values("organisation_id"))
    return max((min_group_size(org) for org in orgs), default=min_group_size(None))


def checked_in(*, user, mood: int, contribute: bool, day: dt.date | None = None) -> int:
    """What every check-in does to the pools, in the check-in's own transaction, whether or
    not the person chose to contribute: the week's pools are made for every organisation
    if they are missing, and the pool of each organisation the person belongs to is
    re-sealed (a fresh nonce, the same padded size), with their mood added only if they
    chose to. So the commit of a contributing check-in writes the same pool rows, of the
    same sizes, as one that does not contribute. Returns the number of organisations
    contributed to (0 without the choice). Writes nothing anywhere else."""
    if contribute and mood not in MOOD_VALUES:
        raise ValueError("A mood from 1 to 5 is needed to contribute.")
    week = week_of(day or timezone.localdate())
    memberships = list(Membership.objects.active().filter(user=user).values_list("organisation_id", "unit_id"))
    with transaction.atomic():
        ensure_pools(week)
        for org_id, unit_id in sorted(memberships):
            pool = _locked_pool(org_id, week)
            entries = unseal(pool)
            if contribute:
                entries[pseudonym(org_id=org_id, user_id=user.pk)] = {"unit": unit_id, "mood": mood}
            pool.ciphertext = seal(org_id=org_id, week=week, entries=entries)
            pool.save(update_fields=["ciphertext"])
    return len(memberships) if contribute else 0


def contribute(*, user, mood: int, day: dt.date | None = None) -> int:
    """Add a check-in's mood to the week's pool of each organisation the person belongs to
    (``checked_in`` with the choice made). Returns the number of organisations."""
    return checked_in(user=user, mood=mood, contribute=True, day=day)


# --------------------------------------------------------------------------- releasing


def pulse_instrument() -> Instrument:
    return Instrument.objects.get(organisation=None, key=PULSE_KEY, status=Instrument.Status.AGREED)


def standing_campaign(org: Organisation, week: dt.date) -> Campaign:
    """The organisation's check-in pulse for the month of ``week`` (its Monday): an ordinary
    organisation-level campaign of the shipped pulse instrument, closing at month end."""
    first = week.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    found = Campaign.objects.filter(organisation=org, from_checkins=True, opens_on=first).first()
    if found:
        return found
    campaign = Campaign.objects.create(
        organisation=org,
        name=f"Check-in pulse: {first:%B %Y}",
        instrument=pulse_instrument(),
        opens_on=first,
        closes_on=last,
        from_checkins=True,
        invitation_message="Nobody is invited: these answers come from check-ins people chose to contribute.",
        reminder_message="No reminders are sent for the check-in pulse.",
        remind_every_days=0,
        status=Campaign.Status.LAUNCHED,
        launched_on=timezone.localdate(),
        invitations_sent_on=first,
        in_scope_count=Membership.objects.for_org(org).active().count(),
    )
    campaign.units.set(Unit.objects.for_org(org).filter(parent__isnull=True))
    return campaign


def period_for(org: Organisation, week: dt.date, today: dt.date) -> tuple[Campaign, dt.date]:
    """The check-in pulse a week's contributions count towards, and the day they are dated
    to. Normally the month of the week; but once a month has ended its figures can be shown
    (reports open when the campaign closes), and a figure once shown never changes: later
    releases count towards the next month still open, dated to its first day (issue 12)."""
    first, day = week.replace(day=1), week
    while True:
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        closed = Campaign.objects.filter(
            organisation=org, from_checkins=True, opens_on=first, status=Campaign.Status.CLOSED
        ).exists()
        if today <= last and not closed:
            break
        first = day = last + dt.timedelta(days=1)
    return standing_campaign(org, first), max(day, first)


def stored_units(org: Organisation, unit_counts: Counter, k: int) -> dict:
    """Each contributor's unit -> the unit stored on their response (None: organisation),
    so each stored unit stands for at least ``k`` contributors."""
    roots = list(Unit.objects.for_org(org).filter(parent__isnull=True))
    mapping: dict = coarsen(member_units=Counter({u: n for u, n in unit_counts.items() if u}), roots=roots, k=k)
    mapping[None] = None
    org_level = sum(n for u, n in unit_counts.items() if mapping.get(u) is None)
    if 0 < org_level < k:
        mapping = dict.fromkeys(mapping, None)
    return mapping


def release(*, today: dt.date | None = None) -> dict[str, int]:
    """Release every pool whose week has ended; returns counts for the command's output."""
    today = today or timezone.localdate()
    current = week_of(today)
    done = {"released": 0, "waiting": 0, "pools": 0}
    while True:
        pool_id = (
            ContributionPool.objects.filter(week__lt=current)
            .order_by("week", "organisation_id")
            .values_list("pk", flat=True)
            .first()
        )
        if pool_id is None:
            break
        with transaction.atomic():
            pool = ContributionPool.objects.select_for_update().select_related("organisation").get(pk=pool_id)
            released, waiting = _release_one(pool, today)
        done["released"] += released
        done["waiting"] += waiting
        done["pools"] += 1
    return done


def _release_one(pool: ContributionPool, today: dt.date) -> tuple[int, int]:
    org = pool.organisation
    entries = unseal(pool)
    k = min_group_size(org)
    if not entries:
        pool.delete()
        return 0, 0
    if len(entries) < k:
        # Too few people: they wait for next week's contributors. A newer check-in from
        # the same person replaces a waiting one, so each person still counts once.
        later = pool.week + dt.timedelta(days=7)
        nxt = _locked_pool(org.pk, later)
        merged = {**entries, **unseal(nxt)}
        nxt.ciphertext = seal(org_id=org.pk, week=later, entries=merged)
        nxt.save(update_fields=["ciphertext"])
        pool.delete()
        return 0, len(entries)
    mapping = stored_units(org, Counter(e["unit"] for e in entries.values()), k)
    rows = sorted(((mapping.get(e["unit"]), e["mood"]) for e in entries.values()), key=lambda r: (r[0] or 0, r[1]))
    campaign, day = period_for(org, pool.week, today)
    question = campaign.instrument.questions.get(response_set__key=FEELING_SET)
    responses = [
        Response(id=uuid.uuid4(), campaign=campaign, unit_id=unit_id, staff_group="", submitted_on=day)
        for unit_id, _ in rows
    ]
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(
        [Answer(response=r, question=question, value=mood) for r, (_, mood) in zip(responses, rows, strict=True)]
    )
    pool.delete()
    audit.record(
        "survey.checkin_pulse.released",
        actor=None,
        organisation=org,
        obj=campaign,
        data={"week": pool.week.isoformat(), "contributions": len(rows)},
    )
    return len(rows), 0
