"""Release check-in contributions into each organisation's check-in pulse (run daily by
cron or a scheduler, any time of day; it is safe to run more often or to miss a day).

* Creates this week's (empty, sealed) contribution pool for every organisation, so a
  pool's existence never shows that someone contributed.
* Releases every pool whose week has ended: as pulse responses dated to the week's Monday,
  coarsened to units with at least the minimum reporting group of contributors, or, if
  the whole organisation had fewer than that, moved to wait in the next week's pool.

See staffwell/surveys/contributions.py and docs/survey-anonymity.md.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from staffwell.surveys import contributions


class Command(BaseCommand):
    help = "Release last week's check-in contributions into the anonymous check-in pulse."

    def handle(self, *args, **options):
        today = timezone.localdate()
        made = contributions.ensure_pools(contributions.week_of(today))
        done = contributions.release(today=today)
        self.stdout.write(
            f"Check-in pulse: {done['pools']} weekly pools processed, {done['released']} contributions released, "
            f"{done['waiting']} waiting for more people; {made} new pools for this week."
        )
