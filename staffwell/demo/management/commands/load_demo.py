from django.core.management.base import BaseCommand, CommandError

from staffwell.demo import data


class Command(BaseCommand):
    help = "Load the demo organisations and one account per role (demo mode only). Does nothing if already loaded."

    def handle(self, *args, **options):
        try:
            loaded = data.load()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Demo data loaded." if loaded else "Demo data is already there; kept as it is.")
        self.stdout.write("")
        self.stdout.write(f"Demo sign-in (password for every account: {data.DEMO_PASSWORD})")
        for label, email in data.sign_in_details():
            self.stdout.write(f"  {label:<40} {email}")
