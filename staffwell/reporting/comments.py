"""Reviewing a closed campaign's free-text comments before managers see them: both sides
read and reword, many comments in one pass, and release needs both to agree (through the
one partnership mechanism, kind ``reporting.comment_release``). At release the reviewed
wording replaces the original, which is then gone."""

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from staffwell.core import audit
from staffwell.partnership import services as partnership
from staffwell.reporting.errors import ReportingError, partner
from staffwell.reporting.models import COMMENT_RELEASE_AGREEMENT, COMMENT_RELEASE_VERSION, CommentReview, Redaction
from staffwell.surveys.models import Campaign, FreeTextAnswer

EMPTY_COMMENT = "Enter the comment as it should be shown. To hide it all, write [removed]."


def completing(state) -> "partnership.Agreement":
    """The agreement that completed ``state``."""
    return max(state.agreements, key=lambda a: (a.agreed_at, a.pk))


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


def _open_review(campaign: Campaign) -> CommentReview:
    """The campaign's review, locked, while its comments can still change."""
    review = CommentReview.objects.select_for_update().get(pk=review_for(campaign).pk)
    if review.is_released:
        raise ReportingError("These comments have been released; they can no longer be changed.")
    return review


def _clear(review: CommentReview, campaign: Campaign, membership) -> None:
    """A changed wording: both sides look again before release."""
    partnership.clear(
        obj=review,
        kind=COMMENT_RELEASE_AGREEMENT,
        actor=membership.user,
        organisation=campaign.organisation,
        reason="wording changed",
    )


def redact(*, campaign: Campaign, answer: FreeTextAnswer, text: str, membership) -> None:
    text = text.strip()
    if not text:
        raise ReportingError(EMPTY_COMMENT)
    with transaction.atomic():
        review = _open_review(campaign)
        Redaction.objects.update_or_create(answer=answer, defaults={"text": text, "redacted_by": membership.user})
        # Any change needs both sides to look again.
        _clear(review, campaign, membership)
        # The audit log records that a comment was edited, never which one or what it said.
        audit.record(
            "survey.comments.redacted", actor=membership.user, organisation=campaign.organisation, obj=campaign
        )


@dataclass
class ReviewPass:
    """What one save of the review page did, or why it did nothing (``errors`` by answer id)."""

    changed: int = 0
    read: int = 0
    errors: dict = field(default_factory=dict)


def _shown(answer: FreeTextAnswer) -> str:
    return answer.redaction.text if hasattr(answer, "redaction") else answer.text


def _same(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def review_comments(
    *, campaign: Campaign, membership, texts: Mapping[str, str], read: Iterable[str] = ()
) -> ReviewPass:
    """One reviewer's pass over many comments at once: the wording of each (``texts``, by
    answer id; a changed one gets a redaction) and the comments they have read (``read``:
    marked with who and when). All or nothing: a comment left empty is an error and nothing
    is saved. A changed wording needs both sides to agree again; marking as read does not."""
    partner(membership, "review comments")
    read = set(read)
    answers = {str(a.pk): a for a in free_text_answers(campaign).select_related("redaction")}
    result, updates = ReviewPass(), []
    for pk, answer in answers.items():
        if pk not in texts and pk not in read:
            continue
        text = texts.get(pk, _shown(answer)).replace("\r\n", "\n").strip()
        if not text:
            result.errors[pk] = EMPTY_COMMENT
            continue
        changed = not _same(text, _shown(answer))
        if changed or (pk in read and not hasattr(answer, "redaction")):
            updates.append((answer, text, changed))
    if result.errors:
        return result
    result.changed = sum(1 for *_, changed in updates if changed)
    result.read = len(updates) - result.changed
    if not updates:
        return result
    with transaction.atomic():
        review = _open_review(campaign)
        for answer, text, _ in updates:
            Redaction.objects.update_or_create(answer=answer, defaults={"text": text, "redacted_by": membership.user})
        if result.changed:
            _clear(review, campaign, membership)
        # How many were changed or read, never which ones or what they said.
        audit.record(
            "survey.comments.redacted" if result.changed else "survey.comments.read",
            actor=membership.user,
            organisation=campaign.organisation,
            obj=campaign,
            data={"changed": result.changed, "read": result.read},
        )
    return result


def agree_release(*, campaign: Campaign, membership) -> bool:
    """One side agrees the comments are ready; with both, they are released (``release``).
    Returns whether they now are."""
    partner(membership, "release comments")
    with transaction.atomic():
        review = CommentReview.objects.select_for_update().get(pk=review_for(campaign).pk)
        if review.is_released:
            raise ReportingError("These comments have already been released.")
        state = partnership.agree(
            obj=review,
            kind=COMMENT_RELEASE_AGREEMENT,
            version=COMMENT_RELEASE_VERSION,
            membership=membership,
            organisation=campaign.organisation,
        )
    return state.complete


def release(review: CommentReview, version: str, state) -> None:
    """Both sides agreed: the reviewed wording replaces every original, which is then gone."""
    campaign = review.campaign
    for redaction in Redaction.objects.filter(answer__campaign=campaign).select_related("answer"):
        FreeTextAnswer.objects.filter(pk=redaction.answer_id).update(text=redaction.text)
    Redaction.objects.filter(answer__campaign=campaign).delete()
    now = timezone.now()
    CommentReview.objects.filter(pk=review.pk).update(released_at=now)
    review.released_at = now
    last = completing(state)
    audit.record(
        "survey.comments.released",
        actor=last.agreed_by,
        organisation=campaign.organisation,
        obj=campaign,
        data={"side": last.side},
    )
