"""/teach/: every URL here is for instructors (tests/questions/teach/test_permissions.py
walks this list, so a new URL cannot escape the permission test)."""

from django.urls import path, re_path

from . import analysis_views, assignment_views, manage_views, set_views, views

app_name = "teach"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("upload/", views.upload, name="upload"),
    path("upload/<str:token>/", views.upload_preview, name="upload-preview"),
    path("upload/<str:token>/confirm/", views.upload_confirm, name="upload-confirm"),
    path("sets/<slug:slug>/", views.questionset_detail, name="set"),
    re_path(
        r"^sets/(?P<slug>[-a-zA-Z0-9_]+)/export\.(?P<fmt>md|gift)$",
        views.questionset_export,
        name="set-export",
    ),
    path("sets/<slug:slug>/publish/", views.questionset_publish, name="set-publish"),
    path("sets/<slug:slug>/archive/", set_views.questionset_archive, name="set-archive"),
    path("sets/<slug:slug>/delete/", set_views.questionset_delete, name="set-delete"),
    path(
        "sets/<slug:slug>/questions/<str:stable_id>/edit/",
        set_views.question_edit,
        name="question-edit",
    ),
    path("sets/<slug:slug>/assign/", assignment_views.assignment_create, name="assign"),
    path("sets/<slug:slug>/analysis/", analysis_views.questionset_analysis, name="set-analysis"),
    path(
        "sets/<slug:slug>/analysis.csv",
        analysis_views.questionset_analysis_csv,
        name="set-analysis-csv",
    ),
    path("assignments/<int:pk>/", assignment_views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/edit/", manage_views.assignment_edit, name="assignment-edit"),
    path("assignments/<int:pk>/close/", manage_views.assignment_close, name="assignment-close"),
    path(
        "assignments/<int:pk>/duplicate/",
        manage_views.assignment_duplicate,
        name="assignment-duplicate",
    ),
    path("assignments/<int:pk>/delete/", manage_views.assignment_delete, name="assignment-delete"),
    path(
        "assignments/<int:pk>/learners/<int:attempt_pk>/",
        manage_views.assignment_learner,
        name="assignment-learner",
    ),
    path(
        "assignments/<int:pk>/learners/<int:attempt_pk>/more-time/",
        manage_views.assignment_more_time,
        name="assignment-more-time",
    ),
    path(
        "assignments/<int:pk>/results.csv", assignment_views.assignment_csv, name="assignment-csv"
    ),
    path(
        "assignments/<int:pk>/analysis/",
        analysis_views.assignment_analysis,
        name="assignment-analysis",
    ),
    path(
        "assignments/<int:pk>/analysis.csv",
        analysis_views.assignment_analysis_csv,
        name="assignment-analysis-csv",
    ),
    path("reports/<int:pk>/resolve/", views.report_resolve, name="report-resolve"),
]
