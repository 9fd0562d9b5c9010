import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluelamp.settings")
application = get_wsgi_application()
# The URL configuration is otherwise loaded by the first request: every feature's views, API
# schemas and templates' helpers. Loaded now, it is frozen with the rest below.
get_resolver().reverse_dict  # noqa: B018 (builds the resolver's tables)

# Everything loaded by now (Django, the models, the views, the app) lives as long as the worker:
# kept out of the garbage collector's full passes, which otherwise walk all of it again every few
# hundred requests (about 5% of the CPU of recording a crime, and the most of its variation from
# one request to the next: bench/README.md, "third round"). Left to the first request, the URL
# configuration alone was 60,000 objects a full pass walked: a 50 to 120 ms pause once in about
# 170 searches at five million nominals, 0.6 ms a search on average.
gc.freeze()
