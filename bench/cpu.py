"""Where the deadline crush's CPU goes (bench/crush.py): each process tree's CPU from /proc,
the machine's from /proc/stat, and each kind of request's CPU in a web worker from the lines
tilskudd.request_cpu writes.

A process tree's CPU is its processes' user + system time plus what the kernel has added to
each for children it has reaped (cutime, cstime), so a PostgreSQL backend or a pool process
that has ended still counts, to its parent.
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import time
from collections import defaultdict
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # fields from the state on (field 3)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def tree_seconds(pid: int) -> float:
    """CPU seconds of `pid` and all its descendants, living or reaped."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    own = sum(int(f) for f in fields[11:15]) / TICK  # utime stime cutime cstime
    return own + sum(tree_seconds(child) for child in _children(pid))


def postmaster() -> int | None:
    """The PostgreSQL server's first process (parent of the others), if it runs here."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            try:
                comm = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if fields and comm == "postgres" and _stat(int(fields[1])) is not None:
                parent = (Path("/proc") / fields[1] / "comm").read_text().strip()
                if parent != "postgres":
                    return int(entry.name)
    return None


def machine_seconds() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine since boot, all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) / TICK, sum(values) / TICK


def self_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Meter:
    """Snapshots of the named process trees, the machine and this process, at phases."""

    def __init__(self, trees: dict[str, int | None]):
        self.trees = {name: pid for name, pid in trees.items() if pid}
        self.marks: list[tuple[str, dict[str, float]]] = []
        self.times: list[float] = []

    def mark(self, phase: str) -> None:
        self.times.append(time.perf_counter())
        busy, _ = machine_seconds()
        figures = {name: tree_seconds(pid) for name, pid in self.trees.items()}
        figures.update({"load generator (this process)": self_seconds(), "machine": busy})
        self.marks.append((phase, figures))

    def table(self) -> list[tuple[str, list[float]]]:
        """Per tree, its CPU seconds in each phase between two marks, then 'rest'."""
        names = [*self.trees, "load generator (this process)"]
        rows = []
        for name in [*names, "machine"]:
            rows.append((name, [after[name] - before[name] for (_, before), (_, after)
                                in zip(self.marks, self.marks[1:], strict=False)]))
        known = [sum(col) for col in zip(*(r[1] for r in rows[:-1]), strict=True)]
        rows.insert(-1, ("everything else on the machine",
                         [m - k for m, k in zip(rows[-1][1], known, strict=True)]))
        return rows

    def print(self) -> None:
        phases = [phase for phase, _ in self.marks[1:]]
        walls = [b - a for a, b in zip(self.times, self.times[1:], strict=False)]
        print(f"\n| {'CPU seconds (both cores)':34} | "
              + " | ".join(f"{p:>16}" for p in phases) + " |")
        print(f"|{'-' * 36}|" + "|".join("-" * 18 for _ in phases) + "|")
        for name, seconds in self.table():
            print(f"| {name:34} | " + " | ".join(f"{s:16.1f}" for s in seconds) + " |")
        print(f"| {'wall seconds (× 2 cores available)':34} | "
              + " | ".join(f"{w:9.1f} ({2 * w:4.0f})" for w in walls) + " |")


def kind(method: str, path: str, urls: dict[str, re.Pattern]) -> str:
    for name, (want, pattern) in urls.items():
        if method == want and pattern.fullmatch(path):
            return name
    return f"other {method}"


def requests_table(folder: Path, urls: dict[str, tuple[str, re.Pattern]]) -> None:
    """Per kind of request: count, CPU in the web worker (total, median, p95) and wall."""
    cpu: dict[str, list[float]] = defaultdict(list)
    wall: dict[str, list[float]] = defaultdict(list)
    for log in folder.glob("*.tsv"):
        for line in log.read_text().splitlines():
            method, path, _status, seconds, elapsed = line.split("\t")
            name = kind(method, path, urls)
            cpu[name].append(float(seconds))
            wall[name].append(float(elapsed))
    total = sum(sum(v) for v in cpu.values()) or 1.0
    print(f"\n| {'request (in a web worker)':30} | {'n':>5} | {'CPU s':>6} | {'share':>5} | "
          f"{'CPU median':>10} | {'CPU p95':>8} | {'in Django p95':>13} |")
    print(f"|{'-' * 32}|{'-' * 7}|{'-' * 8}|{'-' * 7}|{'-' * 12}|{'-' * 10}|{'-' * 15}|")
    for name in sorted(cpu, key=lambda n: -sum(cpu[n])):
        s = sorted(cpu[name])
        w = sorted(wall[name])
        print(f"| {name:30} | {len(s):5} | {sum(s):6.1f} | {sum(s) / total:5.0%} | "
              f"{statistics.median(s) * 1000:7.1f} ms | {_p95(s) * 1000:5.1f} ms | "
              f"{_p95(w) * 1000:10.1f} ms |")


def _p95(s: list[float]) -> float:
    return s[min(len(s) - 1, int(len(s) * 0.95))]
