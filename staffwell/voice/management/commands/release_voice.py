from django.core.management.base import BaseCommand

from staffwell.voice.tasks import release_voice


class Command(BaseCommand):
    help = "Publish the sealed anonymous staff voice posts, supports and replies in one batch. Run hourly."

    def handle(self, *args, **options):
        release_voice.enqueue()
        self.stdout.write("Queued the staff voice release.")
