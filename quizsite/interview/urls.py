from django.urls import path

from . import views

app_name = "interview"

urlpatterns = [
    path("", views.index, name="index"),
    path("cheat-sheet/", views.cheat_sheet, name="cheat-sheet"),
    path("read/<slug:slug>/", views.explainer_read, name="read"),
    path("start/", views.interview_start, name="start"),
    path("<int:pk>/", views.summary, name="summary"),
    path("<int:pk>/open/<int:n>/", views.open_question_page, name="open"),
    path("<int:pk>/open/<int:n>/answer/", views.open_answer, name="open-answer"),
    path("<int:pk>/open/<int:n>/rate/", views.open_rate, name="open-rate"),
    path("<int:pk>/quick-fire/", views.quickfire, name="quickfire"),
    path("after/<int:pk>/", views.after_attempt, name="after-attempt"),
]
