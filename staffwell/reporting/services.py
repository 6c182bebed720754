"""Workflows: changing the thresholds (both sides agree), taking up a weak scale as an
action, loading a benchmark table. Reviewing comments is in ``comments`` (its functions are
named here too, for the views)."""

import csv
import io

from django.db import transaction
from django.utils import timezone

from staffwell.core import audit
from staffwell.partnership import services as partnership
from staffwell.partnership import side_of
from staffwell.reporting.comments import (
    EMPTY_COMMENT,
    ReviewPass,
    agree_release,
    completing,
    free_text_answers,
    redact,
    release,
    review_comments,
    review_for,
    shuffled,
)
from staffwell.reporting.errors import ReportingError, partner
from staffwell.reporting.models import (
    COMMENT_RELEASE_AGREEMENT,
    THRESHOLDS_AGREEMENT,
    ActionSuggestion,
    BenchmarkRow,
    BenchmarkTable,
    PolicyProposal,
)
from staffwell.suppression import FLOOR_MIN_GROUP
from staffwell.suppression.models import ReportingPolicy
from staffwell.surveys.models import Campaign

__all__ = [
    "EMPTY_COMMENT",
    "ReportingError",
    "ReviewPass",
    "agree_policy",
    "agree_release",
    "close_proposal",
    "free_text_answers",
    "load_benchmark",
    "propose_policy",
    "redact",
    "register",
    "review_comments",
    "review_for",
    "shuffled",
    "suggest_action",
    "thresholds_agreed",
    "use_shipped_benchmark",
]

HSE_SCALES = ["Demands", "Control", "Manager support", "Peer support", "Relationships", "Role", "Change"]


def register() -> None:
    """Called once from ``ReportingConfig.ready``: the two things in reporting both sides agree."""
    partnership.register(THRESHOLDS_AGREEMENT, label="change to the reporting thresholds", on_agreed=thresholds_agreed)
    partnership.register(COMMENT_RELEASE_AGREEMENT, label="release of reviewed survey comments", on_agreed=release)


# --- thresholds ---------------------------------------------------------------------------


def propose_policy(*, org, membership, min_group: int, free_text_min_group: int, reason: str) -> PolicyProposal:
    """A proposal, agreed by the proposer's side as it is made."""
    side = partner(membership, "propose a change")
    if min_group < FLOOR_MIN_GROUP:
        raise ReportingError(f"The minimum reporting group is never below {FLOOR_MIN_GROUP}.")
    if free_text_min_group < min_group:
        raise ReportingError("The group size for comments must be at least the minimum reporting group.")
    with transaction.atomic():
        policy = ReportingPolicy.for_org(org)
        ReportingPolicy.objects.select_for_update().filter(pk=policy.pk).first()  # one proposal at a time
        if (min_group, free_text_min_group) == (policy.min_group, policy.free_text_min_group):
            raise ReportingError("These are the thresholds already in force.")
        if PolicyProposal.objects.filter(organisation=org, status=PolicyProposal.Status.OPEN).exists():
            raise ReportingError(
                "There is already a proposal waiting for agreement. Agree, decline or withdraw it first."
            )
        proposal = PolicyProposal.objects.create(
            organisation=org,
            min_group=min_group,
            free_text_min_group=free_text_min_group,
            previous_min_group=policy.min_group,
            previous_free_text_min_group=policy.free_text_min_group,
            reason=reason,
            proposed_by=membership.user,
        )
        audit.record(
            "suppression.policy.proposed",
            actor=membership.user,
            organisation=org,
            obj=proposal,
            data={"min_group": min_group, "free_text_min_group": free_text_min_group, "side": side.value},
        )
        partnership.agree(
            obj=proposal,
            kind=THRESHOLDS_AGREEMENT,
            version=proposal.agreement_version,
            membership=membership,
            terms={"min_group": min_group, "free_text_min_group": free_text_min_group},
        )
    return proposal


def agree_policy(*, proposal: PolicyProposal, membership) -> bool:
    """Record one side's agreement; the change applies when both sides have agreed
    (``thresholds_agreed``). Returns whether it now applies."""
    partner(membership, "agree a change")
    with transaction.atomic():
        proposal = PolicyProposal.objects.select_for_update().get(pk=proposal.pk)
        if not proposal.is_open:
            raise ReportingError("This proposal is no longer open.")
        state = partnership.agree(
            obj=proposal,
            kind=THRESHOLDS_AGREEMENT,
            version=proposal.agreement_version,
            membership=membership,
            terms={"min_group": proposal.min_group, "free_text_min_group": proposal.free_text_min_group},
        )
    return state.complete


def thresholds_agreed(proposal: PolicyProposal, version: str, state) -> None:
    """Both sides agreed: the new thresholds are in force."""
    now = timezone.now()
    PolicyProposal.objects.filter(pk=proposal.pk).update(status=PolicyProposal.Status.AGREED, closed_at=now)
    proposal.status, proposal.closed_at = PolicyProposal.Status.AGREED, now
    policy = ReportingPolicy.objects.select_for_update().get(pk=ReportingPolicy.for_org(proposal.organisation).pk)
    policy.min_group = proposal.min_group
    policy.free_text_min_group = proposal.free_text_min_group
    policy.version += 1
    policy.save()
    last = completing(state)
    audit.record(
        "suppression.policy.applied",
        actor=last.agreed_by,
        organisation=proposal.organisation,
        obj=proposal,
        data={"side": last.side, "min_group": proposal.min_group, "free_text_min_group": proposal.free_text_min_group},
    )


def close_proposal(*, proposal: PolicyProposal, membership, note: str) -> None:
    """The proposer's side withdraws, the other side declines."""
    side = side_of(membership)
    with transaction.atomic():
        proposal = PolicyProposal.objects.select_for_update().get(pk=proposal.pk)
        if side is None or not proposal.is_open:
            raise ReportingError("This proposal is no longer open.")
        kw = {"obj": proposal, "kind": THRESHOLDS_AGREEMENT}
        if proposal.agreement.for_side(side) is not None:
            proposal.status = PolicyProposal.Status.WITHDRAWN
            partnership.withdraw(**kw, version=proposal.agreement_version, membership=membership)
        else:
            proposal.status = PolicyProposal.Status.DECLINED
            partnership.clear(**kw, actor=membership.user, reason="declined")
        proposal.closed_by, proposal.closed_at, proposal.closing_note = membership.user, timezone.now(), note
        proposal.save()
        audit.record(
            f"suppression.policy.{proposal.status}",
            actor=membership.user,
            organisation=proposal.organisation,
            obj=proposal,
            data={"side": side.value},
        )


# --- actions --------------------------------------------------------------------------------


def suggest_action(*, campaign: Campaign, weak: dict, group_label: str, actor) -> ActionSuggestion:
    """Record a weak HSE scale taken up as the starting point for an action."""
    with transaction.atomic():
        suggestion = ActionSuggestion.objects.create(
            campaign=campaign,
            scale=weak["scale"],
            unit_label=group_label,
            score=weak["score"].value,
            band=weak["band"].label,
            suggested_by=actor,
        )
        audit.record(
            "actionplan.suggestion.created",
            actor=actor,
            organisation=campaign.organisation,
            obj=campaign,
            data={"scale": suggestion.scale, "group": group_label},
        )
    return suggestion


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
