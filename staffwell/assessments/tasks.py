from django_tasks import task

from staffwell.assessments import services


@task()
def notify_overdue_actions() -> int:
    return services.notify_overdue()
