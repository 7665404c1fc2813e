"""ASGI entry point: HTTP goes to Django, WebSockets to Channels consumers."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quizsite.settings")
# Set Django up before importing anything that touches models (consumers, auth).
django.setup(set_prefix=False)

from quizsite.handler import ReusedThreadsASGIHandler  # noqa: E402

# Django's ASGIHandler, with each request's sync work on a reused thread (handler.py).
django_asgi_app = ReusedThreadsASGIHandler()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from quizsite.pagecache import PageCacheASGI  # noqa: E402
from quizsite.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        # Anonymous pages already rendered are answered before Django runs at all.
        "http": PageCacheASGI(django_asgi_app),
        # Refuse cross-site WebSocket handshakes: CSRF does not protect WebSockets.
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
