import pytest

# The OpenID Connect provider on localhost and ID-porten switched on (tests of tilskudd.idporten);
# a real S3 server on localhost (tests of the object storage, tilskudd.storage_s3); the
# storage's faults (a full disk, a stopped S3 server).
pytest_plugins = ["tests.tilskudd.idporten_fixtures", "tests.tilskudd.s3_server",
                  "tests.storage_faults"]


@pytest.fixture
def reference_data(db):
    """All offices, counties, municipalities and county municipalities, as seeded: made by
    load_reference_data() once a process (tests/reference_rows.py)."""
    from tests.reference_rows import reference_data_as_loaded

    return reference_data_as_loaded()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _bokmal_after_each_test():
    """A request leaves its language active on the thread (LocaleMiddleware, a user's own
    choice): the next test starts in bokmål again, whatever this one switched to."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is slow on purpose; tests create many users. tests/tilskudd/test_hashers.py
    # checks the production hasher itself.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the configured broker, using the test database.

    Needs CELERY_BROKER_URL (Redis) and a PostgreSQL DATABASE_URL: the worker is another
    process, so it must reach the same database server the tests write to."""
    import os
    import subprocess
    import sys
    import time

    from django.conf import settings
    from django.db import connection

    from tilskudd.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("needs CELERY_BROKER_URL (a real broker)")
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL, shared between the tests and the worker")
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    import tempfile

    media_root = tempfile.mkdtemp(prefix="tilskudd-worker-media-")
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_MEDIA_ROOT": media_root}
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tilskudd", "worker", "--pool=solo",
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "-n", "pytest@%h",
         "-Q", "celery,documents"],
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1.0):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the celery worker did not start")
        proc.media_root = media_root
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


#: The fixtures through which a test reaches the database (pytest-django refuses it otherwise).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences",
                     "django_db_serialized_rollback", "live_server"}


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    # `database`: the test asks for the database. One that does not is refused it by
    # pytest-django, so it passes or fails on PostgreSQL as on SQLite: make test-postgres
    # runs only the `database` tests (and the `postgres` ones), as make test has run all.
    for item in items:
        asked = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or DATABASE_FIXTURES & asked:
            item.add_marker(pytest.mark.database)
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (row locks and concurrent requests)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _empty_cache():
    # Django's local-memory cache lives as long as the test process: start each test empty.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """Each PDF rendered, by whoever (the request or the worker), counted: a document made
    on the spot when clicked must not be made again by its job, nor twice by two clicks."""
    from tilskudd.documents import pdf

    made: list[int] = []
    real = pdf.html_to_pdf

    def counting(html: str) -> bytes:
        made.append(1)
        return real(html)

    monkeypatch.setattr(pdf, "html_to_pdf", counting)
    return made
