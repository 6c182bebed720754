"""Demo content for the library: something for the demo editor to review, and an item due for review.

The library's real content comes from a data migration (every installation has it); this
only adds workflow states so the editorial pages have something to show.
"""

import datetime as dt

from django.utils import timezone

from staffwell.library import search
from staffwell.library.models import Audience, Resource, Status, Topic


def load(*, org, other_org) -> None:
    today = timezone.localdate()
    resource, created = Resource.objects.get_or_create(
        slug="turn2us",
        defaults={
            "title": "Turn2us",
            "provider": "Turn2us",
            "url": "https://www.turn2us.org.uk/",
            "kind": Resource.Kind.GUIDE,
            "summary": "A national charity's free benefits calculator and grants search, for when pay "
            "does not stretch far enough.",
            "status": Status.IN_REVIEW,
        },
    )
    if created:
        resource.topics.set(Topic.objects.filter(slug__in=["money", "stress"]))
        resource.audiences.set(Audience.objects.filter(slug="all-staff"))
        search.refresh(resource)
    Resource.objects.filter(slug="head-first").update(last_reviewed=today - dt.timedelta(days=400))
