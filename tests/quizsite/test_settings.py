"""Settings come from the environment: each test imports them in a fresh process."""

import json
import subprocess
import sys

from tests.servers import REPO

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": db["ENGINE"],
    "conn_max_age": db["CONN_MAX_AGE"],
    "options": {k: v for k, v in db.get("OPTIONS", {}).items()},
    "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "hosts": settings.ALLOWED_HOSTS,
}, default=str))
"""


def run_python(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter whose settings come only from env (None unsets)."""
    full_env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "quizsite.settings",
        "VAR_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 50,
        **env,
    }
    full_env = {k: v for k, v in full_env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def load_settings(tmp_path, **env):
    return run_python(PRINT_SETTINGS, tmp_path, **env)


def test_defaults_are_sqlite_in_memory_layer_and_debug_off(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["debug"] is False
    assert settings["engine"] == "quizsite.sqlite"  # Django's, writers queueing (sqlite/base.py)
    assert settings["options"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in settings["options"]["init_command"]
    assert settings["options"]["timeout"] >= 5
    assert settings["channel_layer"] == "channels.layers.InMemoryChannelLayer"
    assert settings["cache"].endswith("LocMemCache")
    assert settings["hosts"] == ["127.0.0.1", "localhost", "[::1]"]


def test_postgres_url_uses_the_pool_and_no_persistent_connections(tmp_path):
    result = load_settings(tmp_path, DATABASE_URL="postgres://quiz:secret@db.internal:5432/quiz")
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["engine"] == "django.db.backends.postgresql"
    assert settings["conn_max_age"] == 0
    assert "pool" in settings["options"]


def test_redis_url_switches_channel_layer_and_cache(tmp_path):
    result = load_settings(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")
    settings = json.loads(result.stdout)
    assert settings["channel_layer"] == "channels_redis.core.RedisChannelLayer"
    assert settings["cache"] == "django.core.cache.backends.redis.RedisCache"


def test_debug_and_hosts_come_from_the_environment(tmp_path):
    result = load_settings(tmp_path, DEBUG="1", ALLOWED_HOSTS="quiz.example.com, www.example.com")
    settings = json.loads(result.stdout)
    assert settings["debug"] is True
    assert settings["hosts"] == ["quiz.example.com", "www.example.com"]


def test_missing_secret_key_says_what_to_do(tmp_path):
    result = load_settings(tmp_path, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "make run" in result.stderr


def test_local_secret_key_file_is_used(tmp_path):
    (tmp_path / "secret_key").write_text("k" * 50 + "\n")
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    result = run_python(code, tmp_path, SECRET_KEY=None)
    assert result.stdout.strip() == "k" * 50, result.stderr


def test_sqlite_connections_really_run_in_wal_mode(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
        "    c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])\n"
    )
    result = run_python(code, tmp_path)
    journal_mode, busy_timeout_ms = result.stdout.split()
    assert journal_mode == "wal", result.stderr
    assert int(busy_timeout_ms) >= 5000


def test_check_deploy_is_clean_with_the_readme_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "quizsite.settings",
        "VAR_DIR": str(tmp_path),
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": "a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "quiz.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
