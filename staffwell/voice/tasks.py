from django_tasks import task

from staffwell.voice import services, triage


@task()
def release_voice() -> int:
    """Write the sealed anonymous activity out. Takes and returns nothing personal."""
    return sum(services.release().values())


@task()
def remind_voice_triage() -> int:
    return triage.remind()
