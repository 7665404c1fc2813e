from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from questions.teach.services import PENDING_UPLOAD_TTL, pending_uploads_expire


class Command(BaseCommand):
    help = (
        "Delete what has expired: pending uploads nobody confirmed within a day, and "
        "expired sessions when the session engine stores them. `make setup` (so `make "
        "run`) runs it; in production run it daily (cron, a systemd timer)."
    )

    def handle(self, *args, **options):
        gone = pending_uploads_expire()
        self.stdout.write(f"{gone} pending upload(s) older than {PENDING_UPLOAD_TTL} deleted.")
        store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
        try:
            # Signed-cookie and cache sessions expire by themselves: a no-op for them.
            store.clear_expired()
        except NotImplementedError:
            self.stdout.write(f"{settings.SESSION_ENGINE} cannot clear expired sessions.")
        else:
            self.stdout.write("Expired sessions cleared.")
