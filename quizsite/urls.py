from django.contrib import admin
from django.urls import include, path

from quizsite import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("csrf/", views.csrf, name="csrf"),
    path("learn/", include("quizsite.explainers.urls")),
    path("quiz/", include("questions.urls")),
    path("lab/", include("quizsite.lab.urls")),
    path("teach/", include("questions.teach.urls")),
    path("review/", include("questions.review.urls")),
    path("interview/", include("quizsite.interview.urls")),
    path("live/", include("questions.live.urls")),
    path("", include("questions.teach.learner_urls")),
    path("accounts/", include("quizsite.accounts.urls")),
    path("admin/", admin.site.urls),
]

# Error pages that say what went wrong, and JSON under /lab/api/ (quizsite/errors.py).
handler400 = "quizsite.errors.bad_request"
handler403 = "quizsite.errors.permission_denied"
handler404 = "quizsite.errors.page_not_found"
handler500 = "quizsite.errors.server_error"
