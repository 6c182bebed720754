"""Workflows: changing the thresholds (both sides agree), reviewing comments before release,
loading a benchmark table."""

import csv
import io
import random

from django.db import transaction
from django.utils import timezone

from staffwell.core import audit
from staffwell.core.permissions import Perm
from staffwell.reporting.models import (
    BenchmarkRow,
    BenchmarkTable,
    CommentReview,
    PolicyProposal,
    Redaction,
    ReportingPolicy,
)
from staffwell.reporting.suppression import FLOOR_MIN_GROUP
from staffwell.surveys.models import Campaign, FreeTextAnswer

HSE_SCALES = ["Demands", "Control", "Manager support", "Peer support", "Relationships", "Role", "Change"]


class ReportingError(Exception):
    pass


def side_of(membership) -> str | None:
    if membership.has_perm(Perm.LEAD_PARTNERSHIP_WORK):
        return "employer"
    if membership.has_perm(Perm.TAKE_PART_AS_STAFF_SIDE):
        return "staff"
    return None


# --- thresholds ---------------------------------------------------------------------------


def propose_policy(*, org, membership, min_group: int, free_text_min_group: int, reason: str) -> PolicyProposal:
    side = side_of(membership)
    if side is None:
        raise ReportingError("Only the employer-side lead or a staff-side rep can propose a change.")
    policy = ReportingPolicy.for_org(org)
    if min_group < FLOOR_MIN_GROUP:
        raise ReportingError(f"The minimum reporting group is never below {FLOOR_MIN_GROUP}.")
    if free_text_min_group < min_group:
        raise ReportingError("The group size for comments must be at least the minimum reporting group.")
    if (min_group, free_text_min_group) == (policy.min_group, policy.free_text_min_group):
        raise ReportingError("These are the thresholds already in force.")
    if PolicyProposal.objects.filter(organisation=org, status=PolicyProposal.Status.OPEN).exists():
        raise ReportingError("There is already a proposal waiting for agreement. Agree, decline or withdraw it first.")
    now = timezone.now()
    proposal = PolicyProposal.objects.create(
        organisation=org,
        min_group=min_group,
        free_text_min_group=free_text_min_group,
        previous_min_group=policy.min_group,
        previous_free_text_min_group=policy.free_text_min_group,
        reason=reason,
        proposed_by=membership.user,
        **(
            {"employer_agreed_by": membership.user, "employer_agreed_at": now}
            if side == "employer"
            else {"staff_side_agreed_by": membership.user, "staff_side_agreed_at": now}
        ),
    )
    audit.record(
        "suppression.policy.proposed",
        actor=membership.user,
        organisation=org,
        obj=proposal,
        data={"min_group": min_group, "free_text_min_group": free_text_min_group, "side": side},
    )
    return proposal


@transaction.atomic
def agree_policy(*, proposal: PolicyProposal, membership) -> bool:
    """Record one side's agreement; apply the change when both sides have agreed."""
    side = side_of(membership)
    if side is None:
        raise ReportingError("Only the employer-side lead or a staff-side rep can agree a change.")
    proposal = PolicyProposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_open:
        raise ReportingError("This proposal is no longer open.")
    now = timezone.now()
    if side == "employer":
        if proposal.employer_agreed_at:
            raise ReportingError("The employer side has already agreed this proposal.")
        proposal.employer_agreed_by, proposal.employer_agreed_at = membership.user, now
    else:
        if proposal.staff_side_agreed_at:
            raise ReportingError("The staff side has already agreed this proposal.")
        proposal.staff_side_agreed_by, proposal.staff_side_agreed_at = membership.user, now
    applied = bool(proposal.employer_agreed_at and proposal.staff_side_agreed_at)
    if applied:
        proposal.status = PolicyProposal.Status.AGREED
        proposal.closed_at = now
        policy = ReportingPolicy.for_org(proposal.organisation)
        policy.min_group = proposal.min_group
        policy.free_text_min_group = proposal.free_text_min_group
        policy.version += 1
        policy.save()
    proposal.save()
    audit.record(
        "suppression.policy.applied" if applied else "suppression.policy.agreed",
        actor=membership.user,
        organisation=proposal.organisation,
        obj=proposal,
        data={"side": side, "min_group": proposal.min_group, "free_text_min_group": proposal.free_text_min_group},
    )
    return applied


def close_proposal(*, proposal: PolicyProposal, membership, note: str) -> None:
    """The proposer's side withdraws, the other side declines."""
    side = side_of(membership)
    if side is None or not proposal.is_open:
        raise ReportingError("This proposal is no longer open.")
    proposers_side = "employer" if proposal.employer_agreed_at and not proposal.staff_side_agreed_at else "staff"
    proposal.status = PolicyProposal.Status.WITHDRAWN if side == proposers_side else PolicyProposal.Status.DECLINED
    proposal.closed_by, proposal.closed_at, proposal.closing_note = membership.user, timezone.now(), note
    proposal.save()
    audit.record(
        f"suppression.policy.{proposal.status}",
        actor=membership.user,
        organisation=proposal.organisation,
        obj=proposal,
        data={"side": side},
    )


# --- comments -----------------------------------------------------------------------------


def free_text_answers(campaign: Campaign):
    return FreeTextAnswer.objects.filter(campaign=campaign).select_related("question")


def review_for(campaign: Campaign) -> CommentReview:
    review, _ = CommentReview.objects.get_or_create(campaign=campaign)
    return review


def shuffled(answers, *, seed) -> list:
    """Comments in a random order that stays the same between visits (so a reviewer does
    not lose their place) but says nothing about when anything was written."""
    answers = sorted(answers, key=lambda a: str(a.pk))
    random.Random(str(seed)).shuffle(answers)  # noqa: S311 - an order to read in, not a secret
    return answers


def redact(*, campaign: Campaign, answer: FreeTextAnswer, text: str, membership) -> None:
    review = review_for(campaign)
    if review.is_released:
        raise ReportingError("These comments have been released; they can no longer be changed.")
    text = text.strip()
    if not text:
        raise ReportingError("Enter the comment as it should be shown. To hide it all, write [removed].")
    Redaction.objects.update_or_create(answer=answer, defaults={"text": text, "redacted_by": membership.user})
    # Any change needs both sides to look again.
    CommentReview.objects.filter(pk=review.pk).update(
        employer_agreed_by=None, employer_agreed_at=None, staff_side_agreed_by=None, staff_side_agreed_at=None
    )
    # The audit log records that a comment was edited, never which one or what it said.
    audit.record("survey.comments.redacted", actor=membership.user, organisation=campaign.organisation, obj=campaign)


@transaction.atomic
def agree_release(*, campaign: Campaign, membership) -> bool:
    """One side agrees the comments are ready; with both, they are released: the reviewed
    wording replaces every original, which is then gone."""
    side = side_of(membership)
    if side is None:
        raise ReportingError("Only the employer-side lead or a staff-side rep can release comments.")
    review = CommentReview.objects.select_for_update().get(pk=review_for(campaign).pk)
    if review.is_released:
        raise ReportingError("These comments have already been released.")
    now = timezone.now()
    if side == "employer":
        review.employer_agreed_by, review.employer_agreed_at = membership.user, now
    else:
        review.staff_side_agreed_by, review.staff_side_agreed_at = membership.user, now
    released = bool(review.employer_agreed_at and review.staff_side_agreed_at)
    if released:
        for redaction in Redaction.objects.filter(answer__campaign=campaign).select_related("answer"):
            FreeTextAnswer.objects.filter(pk=redaction.answer_id).update(text=redaction.text)
        Redaction.objects.filter(answer__campaign=campaign).delete()
        review.released_at = now
    review.save()
    audit.record(
        "survey.comments.released" if released else "survey.comments.agreed",
        actor=membership.user,
        organisation=campaign.organisation,
        obj=campaign,
        data={"side": side},
    )
    return released


# --- benchmarks ---------------------------------------------------------------------------


def load_benchmark(*, org, content: bytes, name: str, source: str, year: int | None, user) -> BenchmarkTable:
    """A CSV with columns scale,p20,p50,p80 for the seven HSE scales. All or nothing, with
    row-level messages."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ReportingError("The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again.") from e
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or {"scale", "p20", "p50", "p80"} - {f.strip() for f in reader.fieldnames}:
        raise ReportingError("The first row must be the column names: scale,p20,p50,p80.")
    rows, errors = {}, []
    for line, row in enumerate(reader, start=2):
        scale = (row.get("scale") or "").strip()
        if scale not in HSE_SCALES:
            errors.append(f"Row {line}: '{scale}' is not one of the seven scales ({', '.join(HSE_SCALES)}).")
            continue
        try:
            p20, p50, p80 = (float(row[c]) for c in ("p20", "p50", "p80"))
        except (TypeError, ValueError):
            errors.append(f"Row {line}: p20, p50 and p80 must be numbers, like 3.25.")
            continue
        if not (1 <= p20 <= p50 <= p80 <= 5):
            errors.append(f"Row {line}: the cut points must rise from p20 to p80 and lie between 1 and 5.")
            continue
        if scale in rows:
            errors.append(f"Row {line}: {scale} appears twice.")
            continue
        rows[scale] = (p20, p50, p80)
    missing = [s for s in HSE_SCALES if s not in rows]
    if missing and not errors:
        errors.append(f"Missing scales: {', '.join(missing)}.")
    if errors:
        raise ReportingError(" ".join(errors))
    with transaction.atomic():
        BenchmarkTable.objects.filter(organisation=org, in_use=True).update(in_use=False)
        table = BenchmarkTable.objects.create(
            organisation=org, name=name, source=source, year=year, verified=False, in_use=True, uploaded_by=user
        )
        BenchmarkRow.objects.bulk_create(
            BenchmarkRow(table=table, scale=s, p20=a, p50=b, p80=c) for s, (a, b, c) in rows.items()
        )
    audit.record("partnership.benchmark.uploaded", actor=user, organisation=org, obj=table, data={"year": year})
    return table


def use_shipped_benchmark(*, org, user) -> None:
    BenchmarkTable.objects.filter(organisation=org, in_use=True).update(in_use=False)
    audit.record("partnership.benchmark.reset", actor=user, organisation=org)
