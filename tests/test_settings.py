"""Production settings refuse to start unsafely; the database runs in its intended mode."""

import os
import re
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from schools.models import Region

BASE_DIR = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    """Run manage.py in a fresh interpreter with the current environment changed by `env`
    (a value of None removes the variable)."""
    environ = {k: v for k, v in os.environ.items() if k not in env}
    environ.update({k: v for k, v in env.items() if v is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", DJANGO_DEBUG="0", SECRET_KEY=None)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="balance.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_variable_the_settings_read_is_listed_in_env_example():
    source = (BASE_DIR / "yueqing_balance" / "settings.py").read_text()
    read = set(re.findall(r'(?:environ\.get|env_bool)\(\s*"([A-Z0-9_]+)"', source)) | {"DATABASE_URL"}
    listed = set(re.findall(r"^#? ?([A-Z0-9_]+)=", (BASE_DIR / ".env.example").read_text(), re.M))

    assert read - listed == set()
    assert len(read) >= 10


@pytest.mark.django_db
def test_database_runs_in_its_intended_mode():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    else:
        assert connection.vendor == "postgresql"
        assert connection.pg_version >= 140000  # the oldest PostgreSQL Django 5.2 supports


@pytest.mark.django_db(transaction=True)
def test_two_threads_writing_at_once_both_succeed():
    # Each writer reads before it writes: with SQLite's default deferred transactions the second
    # writer would fail at once with "database is locked"; IMMEDIATE makes it wait its turn.
    start = threading.Barrier(2)
    errors = []

    def write(code):
        try:
            start.wait(timeout=10)
            with transaction.atomic():
                Region.objects.count()
                time.sleep(0.2)
                Region.objects.create(code=code, name=code, kind=Region.Kind.TOWN)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(code,)) for code in ("330382101", "330382102")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(Region.objects.values_list("code", flat=True)) == ["330382101", "330382102"]
