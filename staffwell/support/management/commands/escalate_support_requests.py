from django.core.management.base import BaseCommand

from staffwell.support.tasks import escalate_overdue_requests


class Command(BaseCommand):
    help = "Escalate requests for peer support nobody has accepted within the organisation's target. Run hourly."

    def handle(self, *args, **options):
        escalate_overdue_requests.enqueue()
        self.stdout.write("Queued the escalation of requests for peer support past their target.")
