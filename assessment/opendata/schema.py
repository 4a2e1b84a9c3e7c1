"""Validating a 360Giving package against the schemas kept in `schemas/` (CC BY 4.0, see
schemas/README.md). The package schema refers to the grant schema by URL; that URL is
resolved to the local copy, so nothing is fetched from the network."""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).resolve().parent / "schemas"
PACKAGE_SCHEMA = SCHEMAS / "360-giving-package-schema.json"
GRANT_SCHEMA = SCHEMAS / "360-giving-schema.json"

#: A full date-time (RFC 3339): date, "T", time and an offset. The schemas accept a plain
#: date through a pattern in a oneOf beside `format: date-time`, so the format must refuse
#: a plain date, or a date would match both branches.
_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)

format_checker = FormatChecker()


@format_checker.checks("date-time")
def is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return False
    return True


@format_checker.checks("uri")
def is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.path))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def package_validator() -> Draft202012Validator:
    package = _load(PACKAGE_SCHEMA)
    grant = _load(GRANT_SCHEMA)
    resource = Resource.from_contents(grant, default_specification=DRAFT202012)
    referenced = package["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resources([(grant["$id"], resource), (referenced, resource)])
    return Draft202012Validator(package, registry=registry, format_checker=format_checker)


def package_errors(package: dict) -> list[str]:
    """What is wrong with the package ([] when it is valid), as "path: message"."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(package)'}: {error.message}"
        for error in sorted(package_validator().iter_errors(package), key=str)
    ]
