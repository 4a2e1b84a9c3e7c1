"""A Celery worker's pool process pauses the garbage collector while it makes a PDF and
collects the young generations after it; anywhere else (the web's threads, which make a PDF
clicked before the worker has) the collector is left as it is. The PDF is the same."""

import gc

import pytest
from celery.signals import worker_process_init

from tests.pdf import pdf_text
from tilskudd.documents import pdf

DOCUMENT = (
    "<!doctype html><html lang='nb'><head><meta charset='utf-8'><title>Brev</title></head>"
    "<body><h1>Kvittering</h1><table><tr><td>Kurs</td><td>kr 20 000</td></tr></table>"
    "</body></html>"
)


@pytest.fixture
def collections(monkeypatch):
    """The collector's state while the document's fonts are looked up (inside the render),
    and the generation of every collection started from then on."""
    seen = {"enabled_while_rendering": [], "generations": []}
    real_font_config = pdf.font_config

    def font_config():
        seen["enabled_while_rendering"].append(gc.isenabled())
        return real_font_config()

    def callback(phase, info):
        if phase == "start":
            seen["generations"].append(info["generation"])

    monkeypatch.setattr(pdf, "font_config", font_config)
    monkeypatch.setitem(pdf._collector, "paused", False)
    gc.callbacks.append(callback)
    yield seen
    gc.callbacks.remove(callback)
    assert gc.isenabled()


def test_a_worker_pool_process_pauses_the_collector_while_it_makes_a_pdf(collections):
    import tilskudd.celery  # noqa: F401  (connects the pool process's set-up)

    worker_process_init.send(sender=None)
    data = pdf.html_to_pdf(DOCUMENT)

    assert collections["enabled_while_rendering"] == [False]
    assert gc.isenabled()
    assert collections["generations"][-1] == 1  # the young generations, after the render
    assert "Kvittering Kurs kr 20 000" in pdf_text(data)


def test_elsewhere_the_collector_runs_as_it_does(collections):
    data = pdf.html_to_pdf(DOCUMENT)

    assert collections["enabled_while_rendering"] == [True]
    assert "Kvittering Kurs kr 20 000" in pdf_text(data)


def test_a_render_with_the_collector_paused_already_leaves_it_paused(collections):
    pdf._collector["paused"] = True
    gc.disable()
    try:
        pdf.html_to_pdf(DOCUMENT)
        assert not gc.isenabled()
    finally:
        gc.enable()

    assert collections["enabled_while_rendering"] == [False]
    assert collections["generations"] == []
