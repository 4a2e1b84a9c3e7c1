"""The CPU each request costs a web worker, for the deadline benchmark (bench/crush.py).

`tilskudd.request_cpu:application` is the project's WSGI application with a meter around
it: with TILSKUDD_REQUEST_CPU set to a folder, each worker process appends one line per
request to `<folder>/<pid>.tsv`: method, path (quoted, so no tab or line break of a URL
splits the line), status, the serving thread's CPU seconds (`time.thread_time()`, user +
system, all middleware included; the same as the process's in a sync worker, and only
this request's in a threaded one) and wall seconds from the
call until the response was handed to the server. Without the variable it is the plain
application, so nothing can measure production by accident. Served only by the bench's
gunicorn; settings.WSGI_APPLICATION stays `tilskudd.wsgi.application`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import quote

from .wsgi import application as _application

FOLDER = os.environ.get("TILSKUDD_REQUEST_CPU", "")


def _metered(environ, start_response):
    status = []

    def start(code, headers, exc_info=None):
        status.append(code.split(" ", 1)[0])
        return start_response(code, headers, exc_info)

    cpu, wall = time.thread_time(), time.perf_counter()
    response = _application(environ, start)
    cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    line = (f"{environ['REQUEST_METHOD']}\t{quote(environ.get('PATH_INFO', ''))}\t"
            f"{status[0] if status else '-'}\t{cpu:.6f}\t{wall:.6f}\n")
    with Path(FOLDER, f"{os.getpid()}.tsv").open("a", encoding="utf-8") as out:
        out.write(line)
    return response


application = _metered if FOLDER else _application
