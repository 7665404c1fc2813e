"""WSGI entry point, for gunicorn's sync workers (the lab's WSGI comparison)."""

import os

from django.core.wsgi import get_wsgi_application

from quizsite.lab.abandoned import skip_abandoned

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
# A cancelled lab run's queued requests are skipped, not slept through (lab/abandoned.py).
application = skip_abandoned(get_wsgi_application())
