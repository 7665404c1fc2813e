"""WebSocket routes of the whole site; each app adds its own list here."""

from questions.live.routing import websocket_urlpatterns as live_websocket_urlpatterns
from quizsite.lab.routing import websocket_urlpatterns as lab_websocket_urlpatterns

websocket_urlpatterns: list = [*lab_websocket_urlpatterns, *live_websocket_urlpatterns]
