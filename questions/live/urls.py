"""/live/: learners join by code; the host's screen and actions are for the host only."""

from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("new/<slug:slug>/", views.live_create, name="create"),
    path("host/<str:code>/", views.host_page, name="host"),
    path(
        "host/<str:code>/<slug:action>/",
        views.host_action,
        name="action",
    ),
    path("<str:code>/", views.learner_page, name="learner"),
    path("<str:code>/answer/", views.answer, name="answer"),
]
