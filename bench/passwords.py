"""How long one password check takes with the production hasher, against Django's PBKDF2
and Django's own Argon2 parameters. Prints figures; asserts nothing (the tests pin the
parameters, this measures what they cost on this machine).

    python bench/passwords.py [--checks 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import setup_django  # noqa: E402


def per_check(hasher, checks: int) -> tuple[float, float]:
    """Median wall and CPU seconds a check (Argon2 with one lane runs on this thread)."""
    encoded = hasher.encode("korrekt hest batteri", hasher.salt())
    hasher.verify("korrekt hest batteri", encoded)
    wall, cpu = [], []
    for _ in range(checks):
        started, started_cpu = time.perf_counter(), time.process_time()
        hasher.verify("korrekt hest batteri", encoded)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=20)
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher

    from tilskudd.hashers import TunedArgon2PasswordHasher

    print(f"{'hasher':<34} {'wall ms':>8} {'cpu ms':>8}")
    for name, hasher in [("production (tuned Argon2id)", TunedArgon2PasswordHasher()),
                         ("Django's Argon2 defaults", Argon2PasswordHasher()),
                         ("Django's PBKDF2", PBKDF2PasswordHasher())]:
        wall, cpu = per_check(hasher, args.checks)
        print(f"{name:<34} {wall * 1000:>8.1f} {cpu * 1000:>8.1f}")


if __name__ == "__main__":
    main()
