from django.apps import AppConfig


class QuizsiteConfig(AppConfig):
    name = "quizsite"
    verbose_name = "Quiz site"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment check)
        from .pagecache import connect_signals

        connect_signals()
