from django.conf import settings
from django.urls import path

from . import api, events, live, targets, views

app_name = "lab"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<slug:name>/", views.run, name="run"),
    path("api/experiments/", api.experiments, name="api-experiments"),
    path("api/experiments/<str:name>/runs", api.run, name="api-run"),
    path("live/", views.live_start, name="live"),
    path("live/<slug:run>/poll", live.live_poll, name="live-poll"),
]

# The targets the conductor calls, by path under /lab/targets/.
TARGETS = {
    "whoami": targets.whoami,
    "async-sleep": targets.async_sleep,
    "sync-sleep": targets.sync_sleep,
    "blocking-async": targets.blocking_async,
    "heartbeat": targets.heartbeat,
    "fan-out-sequential": targets.fan_out_sequential,
    "fan-out-gather": targets.fan_out_gather,
    "fan-out-threads": targets.fan_out_threads,
    "gil": targets.gil,
    "orm-in-async": targets.orm_in_async,
    "thread-hops": targets.thread_hops,
    "events/publish": events.publish,
    "events/poll": events.poll,
}

# Only lab servers (LAB_SERVE_TARGETS=1) mount them: see targets.py.
if settings.LAB_SERVE_TARGETS:
    urlpatterns += [path(f"targets/{name}/", view) for name, view in TARGETS.items()]
