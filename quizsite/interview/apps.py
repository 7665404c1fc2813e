from django.apps import AppConfig


class InterviewConfig(AppConfig):
    name = "quizsite.interview"
    label = "interview"
    verbose_name = "Mock interview"
    default_auto_field = "django.db.models.BigAutoField"
