from django.core.management.base import BaseCommand

from staffwell.passports.manager_mail import send_decision_reminders


class Command(BaseCommand):
    help = (
        "Email line managers whose decision on an adjustment request is due in 7 days or tomorrow. "
        "Run daily (the days are counted from today, so nothing is sent twice)."
    )

    def handle(self, *args, **options):
        n = send_decision_reminders()
        self.stdout.write(f"{n} reminder{'s' if n != 1 else ''} sent.")
