from django.core.management.base import BaseCommand

from staffwell.support.tasks import send_support_followups


class Command(BaseCommand):
    help = "Email the follow-up check-ins due after requests for support (no content in the email). Run daily."

    def handle(self, *args, **options):
        send_support_followups.enqueue()
        self.stdout.write("Queued the follow-up check-ins for requests for support.")
