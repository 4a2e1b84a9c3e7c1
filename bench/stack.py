"""What the benches against the production stack share (crush.py, letters.py): the --pg and
--redis options, production settings on a PostgreSQL database of the bench's own, made
afresh with Redis emptied, and stopping the processes the bench started."""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile


def add_options(parser: argparse.ArgumentParser, *, redis_db: int) -> None:
    parser.add_argument("--pg", default=os.environ.get("PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--redis",
                        default=os.environ.get("REDIS_URL", f"redis://127.0.0.1:6379/{redis_db}"))


def environment(args, *, name: str, hosts: str = "127.0.0.1") -> dict[str, str]:
    """The environment of production settings on database tilskudd_<name>, with static
    and media files in fresh temporary folders and e-mail kept in memory."""
    return {
        **os.environ,
        "DATABASE_URL": f"{args.pg}/tilskudd_{name}",
        "CELERY_BROKER_URL": args.redis,
        "DJANGO_SETTINGS_MODULE": "tilskudd.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": f"{name}-bench-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": hosts,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": tempfile.mkdtemp(prefix=f"tilskudd-{name}-static-"),
        "DJANGO_MEDIA_ROOT": tempfile.mkdtemp(prefix=f"tilskudd-{name}-media-"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def fresh_stack(args, *, name: str, hosts: str = "127.0.0.1") -> dict[str, str]:
    """Drop and make again database tilskudd_<name>, empty the Redis database, and set
    `environment` in this process too (it seeds through Django); returns it for the
    processes the bench starts."""
    import psycopg
    import redis

    env = environment(args, name=name, hosts=hosts)
    os.environ.update(env)
    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS tilskudd_{name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE tilskudd_{name}")
    redis.Redis.from_url(args.redis).flushdb()
    return env


def stop(*procs: subprocess.Popen) -> None:
    """Ask each process to stop; kill one that has not within 30 seconds."""
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
