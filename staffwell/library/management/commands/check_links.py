from django.core.management.base import BaseCommand

from staffwell.library import linkcheck
from staffwell.library.tasks import check_library_links


class Command(BaseCommand):
    help = "Check every outbound link in the resource library and record what each one does now."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=linkcheck.DEFAULT_CONCURRENCY)
        parser.add_argument("--timeout", type=float, default=linkcheck.DEFAULT_TIMEOUT, help="Seconds per link.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the check for the task worker instead of running it here."
        )

    def handle(self, *args, concurrency, timeout, enqueue, **options):
        if enqueue:
            check_library_links.enqueue()
            self.stdout.write("Link check queued.")
            return
        results = linkcheck.check_all(concurrency=concurrency, timeout=timeout)
        for r in results:
            if r.state != "ok":
                detail = r.error or f"now at {r.final_url}"
                self.stdout.write(f"{r.state.upper():<7} {r.url}  {detail}")
        counts = {s: sum(1 for r in results if r.state == s) for s in ("ok", "moved", "broken")}
        self.stdout.write(
            f"Checked {len(results)} links: {counts['ok']} working, {counts['moved']} moved, {counts['broken']} broken."
        )
