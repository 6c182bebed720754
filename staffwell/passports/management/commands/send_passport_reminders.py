from django.core.management.base import BaseCommand

from staffwell.passports.reminders import send_review_reminders


class Command(BaseCommand):
    help = (
        "Email passport holders and their confirming managers when a passport review is due within 14 days "
        "(once per review date). Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count the passports without sending anything.")

    def handle(self, *args, dry_run=False, **options):
        n = send_review_reminders(dry_run=dry_run)
        verb = "would be reminded about" if dry_run else "reminded about"
        self.stdout.write(f"{n} passport review{'s' if n != 1 else ''} {verb}.")
