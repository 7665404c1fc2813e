from django.urls import path

from . import exam_views, views

app_name = "questions"

urlpatterns = [
    path("", views.index, name="index"),
    path("progress/", views.progress, name="progress"),
    path("attempts/<int:pk>/", views.attempt_resume, name="resume"),
    path("attempts/<int:pk>/q/<int:n>/", views.question, name="question"),
    path("attempts/<int:pk>/q/<int:n>/answer/", views.answer, name="answer"),
    path("attempts/<int:pk>/q/<int:n>/rate/", views.rate, name="rate"),
    path("attempts/<int:pk>/q/<int:n>/flag/", exam_views.question_flag, name="flag"),
    path("attempts/<int:pk>/review/", exam_views.exam_review, name="review"),
    path("attempts/<int:pk>/finish/", views.attempt_finish, name="finish"),
    path("attempts/<int:pk>/results/", views.results, name="results"),
    path("attempts/<int:pk>/retry/", views.attempt_retry, name="retry"),
    # Explainers link to a set's page: /quiz/<slug>/.
    path("<slug:slug>/", views.questionset_detail, name="detail"),
    path("<slug:slug>/start/", views.attempt_start, name="start"),
]
