from django.conf import settings
from django.core.mail import send_mass_mail
from django.core.management.base import BaseCommand
from django.urls import reverse

from staffwell.library.access import editors
from staffwell.library.services import offers_ending_soon


class Command(BaseCommand):
    help = "Email content editors about offers in the library that end within 30 days (run daily or weekly)."

    def handle(self, *args, **options):
        offers = offers_ending_soon()
        if not offers:
            self.stdout.write("No offers end in the next 30 days.")
            return
        recipients = sorted(editors().values_list("email", flat=True))
        if not recipients:
            self.stdout.write("Offers are ending soon but there are no content editors to tell.")
            return
        lines = [f"- {r.title} ({r.provider}): {r.offer}. Ends {r.offer_ends:%d %B %Y}." for r in offers]
        dashboard = settings.STAFFWELL_BASE_URL.rstrip("/") + reverse("library:editorial")
        body = (
            "These offers in the staffwell resource library end within 30 days. "
            "Check each one, and change or remove the offer so that nobody is told about "
            "something they can no longer get.\n\n" + "\n".join(lines) + f"\n\nEditorial dashboard: {dashboard}\n"
        )
        subject = f"{len(offers)} library offer{'s' if len(offers) != 1 else ''} ending soon"
        # One message each, so editors' addresses are not shared with one another.
        send_mass_mail([(subject, body, None, [email]) for email in recipients])
        self.stdout.write(f"Told {len(recipients)} editors about {len(offers)} offers ending soon.")
