"""`prune`, which `make setup` runs: expired pending uploads and sessions go."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from questions.teach.models import PendingUpload

pytestmark = pytest.mark.django_db


def test_prune_deletes_old_pending_uploads_and_keeps_fresh_ones(capsys):
    owner = User.objects.create_user("ada")
    for token, age in (("old", timedelta(days=2)), ("fresh", timedelta(hours=1))):
        PendingUpload.objects.create(
            token=token,
            owner=owner,
            filename="x.md",
            text="",
            sha256="0",
            created_at=timezone.now() - age,
        )
    call_command("prune")
    assert list(PendingUpload.objects.values_list("token", flat=True)) == ["fresh"]
    assert "1 pending upload(s)" in capsys.readouterr().out


def test_prune_clears_expired_database_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    past, future = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)
    Session.objects.create(session_key="a" * 32, session_data="", expire_date=past)
    Session.objects.create(session_key="b" * 32, session_data="", expire_date=future)
    call_command("prune")
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]
