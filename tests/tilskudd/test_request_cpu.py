"""tilskudd.request_cpu, the bench's meter: the plain application unless
TILSKUDD_REQUEST_CPU names a folder, and then one line per request in the worker's file."""

import importlib
import os

import pytest
from django.test import RequestFactory

from tilskudd import request_cpu, wsgi
from tilskudd.health import LIVE_PATH


def _served(application, path):
    environ = RequestFactory().get(path).environ
    started = []
    body = b"".join(application(environ, lambda status, headers, exc_info=None:
                                started.append(status)))
    return started[0], body


def test_without_the_variable_it_is_the_plain_application(monkeypatch):
    monkeypatch.delenv("TILSKUDD_REQUEST_CPU", raising=False)
    module = importlib.reload(request_cpu)

    assert module.application is wsgi.application


@pytest.mark.django_db
def test_with_a_folder_each_request_is_one_line_of_its_cpu(monkeypatch, tmp_path):
    monkeypatch.setenv("TILSKUDD_REQUEST_CPU", str(tmp_path))
    module = importlib.reload(request_cpu)
    try:
        status, body = _served(module.application, LIVE_PATH)
        _served(module.application, LIVE_PATH)
    finally:
        monkeypatch.delenv("TILSKUDD_REQUEST_CPU")
        importlib.reload(request_cpu)

    assert status.startswith("200") and b'"ok"' in body
    lines = (tmp_path / f"{os.getpid()}.tsv").read_text().splitlines()
    assert len(lines) == 2
    method, path, code, cpu, wall = lines[0].split("\t")
    assert (method, path, code) == ("GET", LIVE_PATH, "200")
    assert float(cpu) >= 0 and 0 < float(wall) < 10
