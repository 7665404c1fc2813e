"""Django's deployment checks, made to see the site's middleware.

Django's security checks look for its own class paths in MIDDLEWARE
("django.middleware.security.SecurityMiddleware" ...). This site lists subclasses that
run on the event loop (quizsite.middleware.onloop), so Django would both warn that they
are missing (W001-W003) and skip every check that depends on them (HSTS, nosniff, SSL
redirect, X-Frame-Options, secure cookies). This check runs Django's security checks
again as if each subclass were named by its Django parent and reports what that run
finds and the plain run does not; W001-W003 are silenced in settings and re-issued here
(as quizsite.W001-W003) when a middleware is really missing.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.test.utils import override_settings
from django.utils.module_loading import import_string

MISSING = {"security.W001", "security.W002", "security.W003"}
_running = False


def django_names(middleware: list[str]) -> list[str]:
    """Each entry as the Django class it extends, when it extends one."""
    names = []
    for path in middleware:
        cls = import_string(path)
        parents = [
            f"{base.__module__}.{base.__qualname__}"
            for base in cls.__mro__
            if base.__module__.startswith("django.")
        ]
        names.append(parents[0] if parents else path)
    return names


def _security_messages() -> list[checks.CheckMessage]:
    return checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)


@checks.register(checks.Tags.security, deploy=True)
def middleware_seen_by_django(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    global _running
    if _running:  # the runs below call every security check, this one included
        return []
    _running = True
    try:
        plain = _security_messages()
        with override_settings(MIDDLEWARE=django_names(settings.MIDDLEWARE)):
            seen = _security_messages()
    finally:
        _running = False
    found = []
    for message in (m for m in seen if m not in plain):
        if message.id in MISSING:
            message = checks.Warning(message.msg, hint=message.hint, id="quizsite" + message.id[8:])
        found.append(message)
    return found
