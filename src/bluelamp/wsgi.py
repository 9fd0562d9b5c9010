import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluelamp.settings")
application = get_wsgi_application()

# Everything loaded by now (Django, the models, the app) lives as long as the worker: kept out of
# the garbage collector's full passes, which otherwise walk all of it again every few requests
# (about 5% of the CPU of recording a crime, and the most of its variation from one request to
# the next: bench/README.md, "third round").
gc.freeze()
