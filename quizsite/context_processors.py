import platform

import django
from django.conf import settings


def versions(request):
    # The footer states what the pages were checked against; show what actually runs.
    return {
        "DJANGO_VERSION": django.get_version(),
        "PYTHON_VERSION": platform.python_version(),
        "CSRF_COOKIE_NAME": settings.CSRF_COOKIE_NAME,
    }
