from django_tasks import task

from staffwell.voice import services, triage


@task()
def release_voice() -> None:
    """Write the sealed anonymous activity out. Takes and returns nothing (the task result
    row would otherwise keep how many posts and "me too"s each release held)."""
    services.release()


@task()
def remind_voice_triage() -> int:
    return triage.remind()
