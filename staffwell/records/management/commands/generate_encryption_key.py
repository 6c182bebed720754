from django.core.management.base import BaseCommand

from staffwell.core import crypto


class Command(BaseCommand):
    help = "Print a new key for STAFFWELL_ENCRYPTION_KEYS (put it first; keep old keys until rotated)."

    def handle(self, *args, **options):
        self.stdout.write(crypto.new_key())
