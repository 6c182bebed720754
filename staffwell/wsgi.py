import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffwell.settings")
application = get_wsgi_application()

# What loading Django and staffwell made lives as long as the process. Freezing it keeps
# the garbage collector from walking it on every full collection: each walk paused every
# request in the worker for tens of milliseconds (the tail latency in docs/benchmarks.md).
gc.freeze()
