from django.core.management.base import BaseCommand

from staffwell.voice.tasks import remind_voice_triage


class Command(BaseCommand):
    help = "Remind both sides about staff voice posts whose response-time target is near or passed. Run daily."

    def handle(self, *args, **options):
        remind_voice_triage.enqueue()
        self.stdout.write("Queued the staff voice triage reminders.")
