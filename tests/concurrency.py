"""Running calls at the same moment on separate database connections (PostgreSQL tests)."""

import threading

from django.db import connection


def at_once(calls) -> list:
    """Run each call in its own thread, released together; return what each returned, or the
    exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results
