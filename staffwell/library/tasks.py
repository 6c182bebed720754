from django_tasks import task

from staffwell.library import linkcheck


@task()
def check_library_links() -> dict:
    results = linkcheck.check_all()
    return {state: sum(1 for r in results if r.state == state) for state in ("ok", "moved", "broken")}
