from django.core.management.base import BaseCommand

from staffwell.assessments.tasks import notify_overdue_actions


class Command(BaseCommand):
    help = "Tell the owners of overdue action-plan actions (at most once a week per action). Run daily."

    def handle(self, *args, **options):
        notify_overdue_actions.enqueue()
        self.stdout.write("Queued the overdue action reminders.")
