"""The live session's WebSocket routes."""

from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("live/ws/host/<str:code>/", consumers.HostConsumer.as_asgi()),
    path("live/ws/<str:code>/", consumers.LearnerConsumer.as_asgi()),
]
