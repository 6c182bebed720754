"""Library workflows: the editorial steps, and what other apps may ask of the library."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from staffwell.core import audit
from staffwell.library import search
from staffwell.library.models import CaseStudy, EditorialItem, Episode, Resource, Status


class WorkflowError(Exception):
    """An editorial step that is not allowed; the message says why, in plain words."""


def _action(item: EditorialItem) -> str:
    return {Resource: "library.resource", CaseStudy: "library.casestudy", Episode: "library.episode"}[type(item)]


def _suggestable(topic_slugs: list[str]):
    """Published resources on any of these topics, never one whose offer has ended."""
    resources = (
        Resource.objects.published()
        .filter(topics__slug__in=topic_slugs)
        .distinct()
        .prefetch_related("topics")
        .order_by("title", "pk")
    )
    return [r for r in resources if r.offer_state() != "ended"]


def resources_for_topics(topic_slugs: list[str], limit: int | None = 5) -> list[Resource]:
    """Published resources for any of these topics, those matching most topics first. An offer
    that has ended is never suggested."""
    if not topic_slugs:
        return []
    wanted = set(topic_slugs)
    ranked = sorted(_suggestable(topic_slugs), key=lambda r: -len(wanted & {t.slug for t in r.topics.all()}))
    return ranked if limit is None else ranked[:limit]


def resources_by_topic(topic_slugs: list[str], per_topic: int = 3) -> list[tuple[str, list[Resource]]]:
    """For each topic (in the order given): up to ``per_topic`` resources, the ones on fewest
    other topics first (the most specific), never an ended offer. A resource already suggested
    for an earlier topic is used again only if the topic has nothing else."""
    if not topic_slugs:
        return []
    resources = _suggestable(topic_slugs)
    shown: set[int] = set()
    out = []
    for slug in topic_slugs:
        on_topic = [r for r in resources if slug in {t.slug for t in r.topics.all()}]
        on_topic.sort(key=lambda r: (r.pk in shown, len(r.topics.all()), r.title.lower(), r.pk))
        chosen = on_topic[:per_topic]
        shown |= {r.pk for r in chosen}
        out.append((slug, chosen))
    return out


def save_content(*, item: EditorialItem, user, created: bool) -> EditorialItem:
    """Save an editor's changes. Changing a published item takes it back to draft: what the
    public sees only changes after a second editor has reviewed it."""
    with transaction.atomic():
        was_published = not created and item.status == Status.PUBLISHED
        if created:
            item.created_by = user
            item.status = Status.DRAFT
        elif item.status in (Status.PUBLISHED, Status.IN_REVIEW):
            item.status = Status.DRAFT
        item.save()
        if isinstance(item, (Resource, CaseStudy)):
            search.refresh(item)
        verb = "created" if created else ("edited_unpublished" if was_published else "edited")
        audit.record(f"{_action(item)}.{verb}", actor=user, obj=item)
    return item


def submit_for_review(*, item: EditorialItem, user) -> None:
    if item.status not in (Status.DRAFT, Status.UNPUBLISHED):
        raise WorkflowError("Only a draft or unpublished item can be sent for review.")
    item.status = Status.IN_REVIEW
    item.submitted_by = user
    item.review_note = ""
    item.save(update_fields=["status", "submitted_by", "review_note", "updated_at"])
    audit.record(f"{_action(item)}.submitted", actor=user, obj=item)


def approve_and_publish(*, item: EditorialItem, user) -> None:
    if item.status != Status.IN_REVIEW:
        raise WorkflowError("Only an item waiting for review can be published.")
    if user.pk in item.authors():
        raise WorkflowError("A second editor must review this: you wrote it or sent it for review.")
    problems = item.publish_problems()
    if problems:
        raise WorkflowError(" ".join(problems))
    item.status = Status.PUBLISHED
    item.reviewed_by = user
    item.published_at = item.published_at or timezone.now()
    item.last_reviewed = timezone.localdate()
    item.save(update_fields=["status", "reviewed_by", "published_at", "last_reviewed", "updated_at"])
    audit.record(f"{_action(item)}.published", actor=user, obj=item)


def return_to_draft(*, item: EditorialItem, user, note: str) -> None:
    if item.status != Status.IN_REVIEW:
        raise WorkflowError("Only an item waiting for review can be sent back.")
    if user.pk in item.authors():
        raise WorkflowError("A second editor must review this: you wrote it or sent it for review.")
    if not note.strip():
        raise WorkflowError("Say what needs to change before sending it back.")
    item.status = Status.DRAFT
    item.review_note = note.strip()
    item.save(update_fields=["status", "review_note", "updated_at"])
    audit.record(f"{_action(item)}.returned", actor=user, obj=item, data={"note": note.strip()})


def unpublish(*, item: EditorialItem, user) -> None:
    if item.status != Status.PUBLISHED:
        raise WorkflowError("Only a published item can be unpublished.")
    item.status = Status.UNPUBLISHED
    item.save(update_fields=["status", "updated_at"])
    audit.record(f"{_action(item)}.unpublished", actor=user, obj=item)


def mark_reviewed(*, item: EditorialItem, user) -> None:
    """An editor has checked a published item is still right: it is no longer stale."""
    item.last_reviewed = timezone.localdate()
    item.save(update_fields=["last_reviewed", "updated_at"])
    audit.record(f"{_action(item)}.reviewed", actor=user, obj=item)


def offers_ending_soon(today: dt.date | None = None) -> list[Resource]:
    from staffwell.library.models import ENDING_SOON_DAYS

    today = today or timezone.localdate()
    return list(
        Resource.objects.exclude(offer="")
        .exclude(status=Status.UNPUBLISHED)
        .filter(offer_ends__gte=today, offer_ends__lte=today + dt.timedelta(days=ENDING_SOON_DAYS))
        .order_by("offer_ends", "title")
    )
