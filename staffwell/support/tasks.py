from django_tasks import task

from staffwell.support import services


@task()
def escalate_overdue_requests() -> int:
    return services.escalate_overdue()


@task()
def send_support_followups() -> int:
    return services.send_due_followups()
