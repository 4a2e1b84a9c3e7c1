"""Instructions a PDF costs, counted under callgrind: one document of bench/pdf.py (the
allocation letter unless told) against the bare one-page document, both tagged as plain PDF
and as PDF/A-2a (the worker's). Instructions do not move with the machine's load, as CPU
time does, so a change of 1-2 % shows (README, PDF benchmark: the fourth to sixth passes).

The document's HTML is made once by the real code (bench/pdf.py's documents, a throw-away
SQLite database); then one process under `valgrind --tool=callgrind` renders each page
--repeat times in turns, with Django and the Celery tasks loaded as in a worker and the
collector as a worker's pool process has it. Each render is called through
`operator.call`, the one C function callgrind toggles collection on and dumps after
(`--toggle-collect=_operator_call --dump-after=_operator_call`), so each render is a
count of its own; the median of each is printed, in million instructions, and the
document's a page as a multiple of each bare page's. About 1.5 minutes with --repeat 3.

--html FILE (repeatable) also measures a saved HTML (--save-html writes the document's),
the way to set a template's change against the HTML before it. --variant FILE.py:NAME also
renders each page with NAME (a context manager in FILE.py) in force, in turns with the
code as it is: the way to measure a change of the code in one process.

    python bench/pdf_instructions.py [--document "allocation letter"] [--repeat 3]
        [--html before.html] [--save-html letter.html] [--variant try.py:name]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import operator
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from run import setup_django

BENCH = Path(__file__).resolve().parent


def _document_html(name: str) -> str:
    """The HTML the real code makes for bench/pdf.py's document `name`."""
    from pdf import _documents

    from tilskudd.documents import pdf

    made: list[str] = []
    render = dict(_documents())[name]
    real = pdf.html_to_pdf
    pdf.html_to_pdf = lambda html: made.append(html) or real(html)
    try:
        render()
    finally:
        pdf.html_to_pdf = real
    return made[0]


@contextlib.contextmanager
def _tagged_only():
    """Plain tagged PDF, no PDF/A: the yardstick of the earlier passes."""
    from tilskudd.documents import pdf

    ours, pdf.PDF_VARIANT = pdf.PDF_VARIANT, None
    try:
        yield
    finally:
        pdf.PDF_VARIANT = ours


def _variant(spec: str):
    path, name = spec.rsplit(":", 1)
    loaded = importlib.util.spec_from_file_location("pdf_instructions_variant", path)
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return getattr(module, name)


def _inner(plan_path: str) -> None:
    """Under callgrind: render each page of the plan, in turns, each through operator.call."""
    plan = json.loads(Path(plan_path).read_text())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings")
    import django

    django.setup()
    from tilskudd.celery import app

    app.loader.import_default_modules()  # the tasks, as a worker has them
    from tilskudd.documents.pdf import html_to_pdf, pause_collector_while_rendering

    pause_collector_while_rendering()
    variant = _variant(plan["variant"]) if plan["variant"] else None
    pages = [(label, Path(file).read_text()) for label, file in plan["pages"]]
    for _label, html in pages:  # Pango, the fonts and every cache warm, not counted
        html_to_pdf(html)
        with _tagged_only():
            html_to_pdf(html)
    order = []
    for _ in range(plan["repeat"]):
        for label, html in pages:
            for form, tagged in (("PDF/A-2a", False), ("tagged", True)):
                if form == "tagged" and label != "bare page":
                    continue  # the document as the worker makes it only
                for varied in (False, True) if variant else (False,):
                    with (
                        _tagged_only() if tagged else contextlib.nullcontext(),
                        variant() if varied else contextlib.nullcontext(),
                    ):
                        operator.call(html_to_pdf, html)
                    order.append([label, form, varied])
    Path(plan["order"]).write_text(json.dumps(order))


def _pdf_pages(html: str) -> int:
    import io

    from pypdf import PdfReader

    from tilskudd.documents.pdf import html_to_pdf

    return len(PdfReader(io.BytesIO(html_to_pdf(html))).pages)


def _totals(out: Path) -> list[int]:
    dumps = sorted(
        (p for p in out.parent.glob(out.name + ".*") if p.suffix[1:].isdigit()),
        key=lambda p: int(p.suffix[1:]),
    )
    counts = []
    for dump in dumps:
        text = dump.read_text()
        found = re.search(r"^(?:totals|summary): (\d+)", text, re.M)
        counts.append(int(found.group(1)) if found else 0)
    return [c for c in counts if c]  # the last dump, at exit, counts nothing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--document", default="allocation letter",
                        help="one of bench/pdf.py's documents")
    parser.add_argument("--repeat", type=int, default=3, help="renders of each, in turns")
    parser.add_argument("--html", action="append", default=[], help="also this saved HTML")
    parser.add_argument("--save-html", help="write the document's HTML here")
    parser.add_argument("--variant", help="FILE.py:NAME, a context manager: also with it")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        _inner(args.inner)
        return

    setup_django()
    from pdf import BARE

    work = Path(tempfile.mkdtemp(prefix="tilskudd-pdf-instructions-"))
    html = _document_html(args.document)
    if args.save_html:
        Path(args.save_html).write_text(html)
    sources = {"bare page": BARE, args.document: html}
    sources.update({Path(f).name: Path(f).read_text() for f in args.html})
    plan_pages = []
    for i, (label, source) in enumerate(sources.items()):
        (work / f"{i}.html").write_text(source)
        plan_pages.append([label, str(work / f"{i}.html")])
    pages = {label: _pdf_pages(source) for label, source in sources.items()}
    plan = {"pages": plan_pages, "repeat": args.repeat, "variant": args.variant,
            "order": str(work / "order.json")}
    (work / "plan.json").write_text(json.dumps(plan))
    out = work / "callgrind.out"
    subprocess.run(  # noqa: S603 (our own interpreter and script)
        ["valgrind", "--tool=callgrind", "--collect-atstart=no",  # noqa: S607
         "--toggle-collect=_operator_call", "--dump-after=_operator_call",
         f"--callgrind-out-file={out}", sys.executable, __file__, "--inner",
         str(work / "plan.json")],
        check=True, cwd=BENCH, stderr=subprocess.DEVNULL,
    )
    order = json.loads(Path(plan["order"]).read_text())
    counts = _totals(out)
    if len(counts) != len(order):
        sys.exit(f"{len(counts)} counts for {len(order)} renders: see {work}")
    medians: dict[tuple, float] = {}
    for key in {tuple(o) for o in order}:
        mine = [c for o, c in zip(order, counts, strict=True) if tuple(o) == key]
        medians[key] = statistics.median(mine) / 1e6
    print(f"million instructions, median of {args.repeat} (callgrind; {work})")
    for varied in (False, True) if args.variant else (False,):
        if args.variant:
            print("with " + args.variant if varied else "as it is")
        bare = {form: medians[("bare page", form, varied)] for form in ("tagged", "PDF/A-2a")}
        for form, count in bare.items():
            print(f"  {'bare page, ' + form:44} {count:8.1f}")
        for label in sources:
            if label == "bare page":
                continue
            count, n = medians[(label, "PDF/A-2a", varied)], pages[label]
            print(f"  {label + ', PDF/A-2a':44} {count:8.1f}  {n} pages, a page "
                  f"{count / n / bare['tagged']:.2f}× the tagged bare page, "
                  f"{count / n / bare['PDF/A-2a']:.2f}× the PDF/A one")


if __name__ == "__main__":
    main()
