from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "questions.review"
    label = "review"
    verbose_name = "Review deck"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
