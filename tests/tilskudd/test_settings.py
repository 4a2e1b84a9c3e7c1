import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120,
    )


def test_production_without_secret_key_refuses_to_start():
    result = run_manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="tilskudd.example.no")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0" in result.stderr


def test_production_check_deploy_is_clean():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x7!kq2-" + "a9Zr5mPq1Lw8Ys3Tn6Vb0Hc4Jd7Ge2Uf5Kx8Qo" * 2,
        DJANGO_ALLOWED_HOSTS="tilskudd.example.no",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_embedded_default_settings():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "nb"
    assert settings.TIME_ZONE == "Europe/Oslo"
    assert settings.USE_TZ is True


def test_embedded_default_is_sqlite_with_eager_celery():
    result = run_manage(
        "shell", "-v", "0", "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG, "
        "s.EMAIL_BACKEND)",
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3", "True", "True",
        "django.core.mail.backends.console.EmailBackend",
    ], result.stderr


def test_database_and_broker_urls_switch_to_postgres_and_a_real_broker():
    result = run_manage(
        "shell", "-v", "0", "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/tilskudd",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"], result.stderr
