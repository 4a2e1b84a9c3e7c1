"""docker-compose.yml's stack signs a person in: a browser at http://localhost:8000 posts
the sign-in form through the nginx proxy to a web replica running with the compose file's
environment, and Django's CSRF check (the form's Origin against the Host the proxy passes
on) lets it through. The file is read as compose reads it (its `${VAR:-default}`s with no
variables set but the required secret, `$$` as `$`), the proxy's headers as nginx fills them
in, and the settings as settings.py makes them from that environment."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.tilskudd.factories import OrganisationFactory, member

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
EMAIL = "kari@example.no"
PASSWORD = "Passord-for-test-1"
BROWSER_ADDRESS, PROXY_ADDRESS = "172.18.0.1", "172.18.0.9"
# What settings.py makes of the environment that bears on hosts, CSRF and cookies.
SETTINGS = (
    "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "USE_X_FORWARDED_HOST",
    "USE_X_FORWARDED_PORT", "CSRF_USE_SESSIONS", "CSRF_COOKIE_DOMAIN", "SESSION_COOKIE_DOMAIN",
    "EMAIL_BACKEND",
)


def interpolate(text: str, variables: dict[str, str]) -> str:
    """Compose's interpolation: ${NAME}, ${NAME:-default}, ${NAME:?error}, and $$ for $."""
    def value(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, default = match.group("name"), match.group("op"), match.group("default")
        if variables.get(name):
            return variables[name]
        if op == ":?":
            raise AssertionError(f"compose needs {name}: {default}")
        return default or ""
    return re.sub(r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:-|:\?)(?P<default>[^}]*))?\}", value, text)


def block(text: str, start: str) -> list[str]:
    """The lines indented under the line `start` (the first that ends with it)."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.rstrip().endswith(start))
    indent = len(lines[at]) - len(lines[at].lstrip())
    inner = []
    for line in lines[at + 1:]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        inner.append(line)
    return inner


def app_environment(text: str) -> dict[str, str]:
    """The x-app anchor's environment, which web (and every other app service) uses."""
    env = {}
    for line in block("\n".join(block(text, "x-app: &app")), "environment:"):
        entry = re.fullmatch(r'\s+(\w+): (?:"([^"]*)"|([^\s#]+))(?:\s+#.*)?', line)
        if entry:
            env[entry.group(1)] = entry.group(2) if entry.group(2) is not None else entry.group(3)
    return env


def proxy_config(text: str) -> str:
    return "\n".join(block("\n".join(block(text, "configs:")), "content: |"))


def published_port(text: str) -> int:
    ports = re.search(r'ports: \["(\d+):(\d+)"\]', "\n".join(block(text, "proxy:")))
    return int(ports.group(1))


def nginx_headers(config: str, *, host_header: str, client: str) -> dict[str, str]:
    """The headers nginx sets on the request it passes to a web replica, for a browser's
    request with this Host header from this address over plain HTTP."""
    variables = {
        "host": host_header.rsplit(":", 1)[0].lower(),  # $host: the name, without the port
        "http_host": host_header,  # $http_host: the header as the browser sent it
        "scheme": "http",
        "proxy_add_x_forwarded_for": client,  # no X-Forwarded-For came in
    }
    headers = {}
    for name, value in re.findall(r"proxy_set_header\s+(\S+)\s+(.+?);", config):
        unknown = set(re.findall(r"\$(\w+)", value)) - variables.keys()
        assert not unknown, f"the test does not know nginx's ${unknown}"
        headers[name] = re.sub(r"\$(\w+)", lambda m: variables[m.group(1)], value)
    return headers


def compose_settings(env: dict[str, str]) -> dict:
    """settings.py's values under the compose environment, from a process of their own."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    code = ("import json; from django.conf import settings as s; "
            f"print(json.dumps({{n: getattr(s, n) for n in {SETTINGS!r}}}))")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def as_meta(headers: dict[str, str]) -> dict[str, str]:
    return {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}


@pytest.fixture(scope="module")
def compose() -> dict:
    text = interpolate(COMPOSE.read_text(), {"DJANGO_SECRET_KEY": "k" * 50})
    env = app_environment(text)
    config = proxy_config(text)
    assert f"listen {published_port(text)};" in config  # the port the browser uses
    values = compose_settings(env)
    mail_backend = values.pop("EMAIL_BACKEND")  # the tests keep their own locmem backend
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return {"env": env, "config": config, "port": published_port(text), "settings": values,
            "mail_backend": mail_backend}


def test_the_compose_stack_runs_in_production_mode_over_plain_http(compose):
    assert compose["settings"]["DEBUG"] is False
    assert compose["settings"]["SECURE_SSL_REDIRECT"] is False
    assert compose["settings"]["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1"]
    assert compose["settings"]["CSRF_TRUSTED_ORIGINS"] == []


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_a_browser_signs_in_through_the_compose_proxy(db, compose, host):
    kari = member(OrganisationFactory(), email=EMAIL)
    origin = f"http://{host}:{compose['port']}"
    proxied = as_meta(nginx_headers(compose["config"], host_header=f"{host}:{compose['port']}",
                                    client=BROWSER_ADDRESS))
    with override_settings(**compose["settings"]):
        browser = Client(enforce_csrf_checks=True, REMOTE_ADDR=PROXY_ADDRESS, **proxied)
        form = browser.get(reverse("login"))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                          form.content.decode()).group(1)

        response = browser.post(reverse("login"),
                                {"username": EMAIL, "password": PASSWORD,
                                 "csrfmiddlewaretoken": token},
                                HTTP_ORIGIN=origin, HTTP_REFERER=f"{origin}/logg-inn/")

    assert form.status_code == 200
    assert response.status_code == 302, response.content.decode()[:300]
    assert browser.session["_auth_user_id"] == str(kari.pk)


def service_command(text: str, service: str) -> str:
    lines = block("\n".join(block(text, "services:")), f"  {service}:")
    return next(line.split("command:", 1)[1].strip() for line in lines if "command:" in line)


def test_the_compose_workers_serve_every_queue_and_beat_runs_once():
    from tilskudd.celery import app
    from tilskudd.documents.jobs import DOCUMENTS_QUEUE

    text = COMPOSE.read_text()
    queues = {name: re.search(r"-Q (\S+)", service_command(text, name)).group(1)
              for name in ("worker", "documents-worker")}

    assert queues == {"worker": app.conf.task_default_queue, "documents-worker": DOCUMENTS_QUEUE}
    assert service_command(text, "beat").startswith("celery -A tilskudd beat")
    assert "replicas" not in "\n".join(block("\n".join(block(text, "services:")), "  beat:"))


def test_compose_sets_no_mail_server_so_its_e_mail_goes_to_the_console(compose):
    assert "EMAIL_URL" not in compose["env"]
    assert compose["mail_backend"] == "django.core.mail.backends.console.EmailBackend"
