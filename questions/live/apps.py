from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "questions.live"
    label = "live"
    verbose_name = "Live sessions"
    default_auto_field = "django.db.models.BigAutoField"
