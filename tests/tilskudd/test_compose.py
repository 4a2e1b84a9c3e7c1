"""docker-compose.yml's stack signs a person in: a browser at http://localhost:8000 posts
the sign-in form through the nginx proxy to a web replica running with the compose file's
environment, and Django's CSRF check (the form's Origin against the Host the proxy passes
on) lets it through; behind an HTTPS front the proxy passes the front's scheme on, so a
secure stack neither redirects forever nor refuses the form. The file is read as compose
reads it (its `${VAR:-default}`s with no variables set but the required secret, `$$` as
`$`, a service's `<<: *app` merged as compose merges it), the proxy's headers as nginx fills
them in, and the settings as settings.py makes them from that environment."""

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
from tilskudd.links import absolute_url

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
EMAIL = "kari@example.no"
PASSWORD = "Passord-for-test-1"
BROWSER_ADDRESS, PROXY_ADDRESS = "172.18.0.1", "172.18.0.9"
#: The services built from x-app (`<<: *app`).
APP_SERVICES = ("migrate", "web", "worker", "documents-worker", "beat")
#: An HTTPS front (a load balancer, Caddy) that passes requests on to the proxy's port.
FRONT = "tilskudd.example.no"
BEHIND_FRONT = {"DJANGO_ALLOWED_HOSTS": FRONT, "DJANGO_SECURE_SSL_REDIRECT": "1",
                "DJANGO_SITE_URL": f"https://{FRONT}"}
# What settings.py makes of the environment that bears on hosts, CSRF and cookies.
SETTINGS = (
    "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "USE_X_FORWARDED_HOST",
    "USE_X_FORWARDED_PORT", "CSRF_USE_SESSIONS", "CSRF_COOKIE_DOMAIN", "SESSION_COOKIE_DOMAIN",
    "EMAIL_BACKEND", "SITE_URL",
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


def environment_entries(lines: list[str], where: str) -> dict[str, str]:
    """`NAME: value` lines; any other line (a list, an anchor, a block scalar) fails."""
    env = {}
    for line in lines:
        if not line.strip() or line.strip().startswith("#"):
            continue
        entry = re.fullmatch(r'\s+(\w+): (?:"([^"]*)"|([^\s#"]+))(?:\s+#.*)?', line)
        assert entry, f"the test cannot read this line of {where}'s environment: {line!r}"
        env[entry.group(1)] = entry.group(2) if entry.group(2) is not None else entry.group(3)
    return env


def app_environment(text: str) -> dict[str, str]:
    """The x-app anchor's environment."""
    return environment_entries(block("\n".join(block(text, "x-app: &app")), "environment:"),
                               "x-app")


def service_block(text: str, service: str) -> list[str]:
    return block("\n".join(block(text, "services:")), f"  {service}:")


def service_environment(text: str, service: str) -> dict[str, str]:
    """A service's environment as compose makes it: `<<: *app` merges x-app's keys one
    level deep, so an `environment:` of the service's own replaces x-app's whole map."""
    lines = service_block(text, service)
    assert "<<: *app" in (line.strip() for line in lines), service
    if "environment:" in (line.strip() for line in lines):
        return environment_entries(block("\n".join(lines), "environment:"), service)
    return app_environment(text)


def proxy_config(text: str) -> str:
    return "\n".join(block("\n".join(block(text, "configs:")), "content: |"))


def published_port(text: str) -> int:
    ports = re.search(r'ports: \["(\d+):(\d+)"\]', "\n".join(block(text, "proxy:")))
    return int(ports.group(1))


def nginx_maps(config: str) -> list[tuple[str, str, dict[str, str]]]:
    """The config's `map $source $target { key value; ... }`s; keys are exact strings."""
    maps = []
    for source, target, body in re.findall(r"map\s+\$(\w+)\s+\$(\w+)\s*\{(.*?)\}", config, re.S):
        table = {}
        for line in body.splitlines():
            if not line.strip() or line.strip().startswith("#"):
                continue
            entry = re.fullmatch(r'\s*(default|""|[\w.-]+)\s+(\S+);', line)
            assert entry, f"the test does not know this map entry: {line.strip()!r}"
            table["" if entry.group(1) == '""' else entry.group(1)] = entry.group(2)
        maps.append((source, target, table))
    return maps


def nginx_headers(config: str, *, host_header: str, client: str,
                  forwarded_proto: str = "") -> dict[str, str]:
    """The headers nginx sets on the request it passes to a web replica, for a request over
    plain HTTP with this Host header from this address: a browser's, or an HTTPS front's
    that sets X-Forwarded-Proto (`forwarded_proto`)."""
    variables = {
        "host": host_header.rsplit(":", 1)[0].lower(),  # $host: the name, without the port
        "http_host": host_header,  # $http_host: the header as the browser sent it
        "scheme": "http",
        "http_x_forwarded_proto": forwarded_proto,  # "" when the header is not sent
        "proxy_add_x_forwarded_for": client,  # no X-Forwarded-For came in
    }
    for source, target, table in nginx_maps(config):
        value = table.get(variables[source], table.get("default", ""))
        variables[target] = re.sub(r"\$(\w+)", lambda m: variables[m.group(1)], value)
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


def load_compose(variables: dict[str, str]) -> dict:
    text = interpolate(COMPOSE.read_text(), {"DJANGO_SECRET_KEY": "k" * 50, **variables})
    env = service_environment(text, "web")
    config = proxy_config(text)
    assert f"listen {published_port(text)};" in config  # the port the browser uses
    values = compose_settings(env)
    mail_backend = values.pop("EMAIL_BACKEND")  # the tests keep their own locmem backend
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return {"env": env, "config": config, "port": published_port(text), "settings": values,
            "mail_backend": mail_backend}


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_compose({})


@pytest.fixture(scope="module")
def behind_front() -> dict:
    """The stack as README says to run it behind an HTTPS front at https://FRONT."""
    return load_compose(BEHIND_FRONT)


def test_the_compose_stack_runs_in_production_mode_over_plain_http(compose):
    assert compose["settings"]["DEBUG"] is False
    assert compose["settings"]["SECURE_SSL_REDIRECT"] is False
    assert compose["settings"]["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1"]
    assert compose["settings"]["CSRF_TRUSTED_ORIGINS"] == []


def test_the_compose_stack_links_to_the_address_the_browser_uses(compose, behind_front):
    # e-mails' links (tilskudd.links) and ID-porten's return after sign-out
    assert compose["settings"]["SITE_URL"] == f"http://localhost:{compose['port']}"
    assert behind_front["settings"]["SITE_URL"] == f"https://{FRONT}"
    with override_settings(SITE_URL=behind_front["settings"]["SITE_URL"]):
        assert absolute_url("home") == f"https://{FRONT}/"


def test_every_app_service_has_x_apps_environment_whole():
    text = interpolate(COMPOSE.read_text(), {"DJANGO_SECRET_KEY": "k" * 50})
    for service in APP_SERVICES:
        assert "environment:" not in "\n".join(service_block(text, service)), service
        assert service_environment(text, service) == app_environment(text), service


def test_the_environment_reader_sees_a_services_own_map_and_refuses_what_it_cannot_read():
    text = COMPOSE.read_text().replace(
        "  web:\n    <<: *app\n", "  web:\n    <<: *app\n    environment:\n      ONLY: here\n", 1)
    assert service_environment(text, "web") == {"ONLY": "here"}
    unreadable = COMPOSE.read_text().replace(
        "  environment:\n", "  environment:\n    - LISTED=1\n", 1)
    with pytest.raises(AssertionError, match="cannot read"):
        app_environment(unreadable)


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


def test_behind_an_https_front_the_secure_stack_signs_in_without_a_redirect_loop(
        db, behind_front):
    kari = member(OrganisationFactory(), email=EMAIL)
    origin = f"https://{FRONT}"
    through_front = as_meta(nginx_headers(behind_front["config"], host_header=FRONT,
                                          client=BROWSER_ADDRESS, forwarded_proto="https"))
    straight = as_meta(nginx_headers(behind_front["config"], host_header=FRONT,
                                     client=BROWSER_ADDRESS))
    assert behind_front["settings"]["SECURE_SSL_REDIRECT"] is True
    with override_settings(**behind_front["settings"]):
        plain = Client(REMOTE_ADDR=PROXY_ADDRESS, **straight).get(reverse("login"))
        browser = Client(enforce_csrf_checks=True, REMOTE_ADDR=PROXY_ADDRESS, **through_front)
        form = browser.get(reverse("login"))
        assert form.status_code == 200, form.get("Location")  # a redirect here loops
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                          form.content.decode()).group(1)

        response = browser.post(reverse("login"),
                                {"username": EMAIL, "password": PASSWORD,
                                 "csrfmiddlewaretoken": token},
                                HTTP_ORIGIN=origin, HTTP_REFERER=f"{origin}/logg-inn/")

    # plain HTTP to the proxy is sent to HTTPS; what came through the front over HTTPS is not
    assert plain.status_code == 301
    assert plain["Location"] == f"https://{FRONT}{reverse('login')}"
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


def test_on_a_shared_host_the_documents_pool_gets_the_cores_the_web_leaves():
    """At a deadline the PDFs wait for the web, not the submits for the PDFs (README,
    Deadline benchmark: at the web's priority the submit's p95 was seconds): compose gives
    documents-worker a CPU weight below the default 1024 that web and worker keep."""
    services = "\n".join(block(COMPOSE.read_text(), "services:"))

    def shares(service: str) -> int:
        found = [re.fullmatch(r"\s+cpu_shares: (\d+)", line)
                 for line in block(services, f"  {service}:")]
        return next((int(m.group(1)) for m in found if m), 1024)

    assert shares("documents-worker") <= 1024 // 4
    assert shares("web") == shares("worker") == 1024
