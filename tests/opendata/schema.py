"""Checking an exported 360Giving package against the standard's package schema, offline:
the tests' proof that what the service publishes is valid."""

import json
import re
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from grants.opendata.operations.threesixty import grant_schema

PACKAGE_SCHEMA_FILE = "360-giving-package-schema.json"
# The package schema refers to the grant schema by the 1.4.2 address; the file is 1.4.3's.
GRANT_SCHEMA_URLS = (
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/"
    "360-giving-schema.json",
    "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/"
    "360-giving-schema.json",
)


@cache
def package_schema() -> dict[str, Any]:
    return json.loads(resources.files("grants.opendata").joinpath(PACKAGE_SCHEMA_FILE)
                      .read_text("utf-8"))


_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time, checked here because jsonschema needs an extra package for it."""
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return False
    return True


def format_checker() -> FormatChecker:
    """The draft 2020-12 format checker, with date-time always checked.

    Without a date-time check the schema's "a date or a date-time" rule (oneOf) refuses every
    plain date, so it must not depend on rfc3339-validator being installed.
    """
    checker = FormatChecker()
    for name, func in Draft202012Validator.FORMAT_CHECKER.checkers.items():
        checker.checkers[name] = func
    checker.checks("date-time")(_is_date_time)
    return checker


@cache
def package_validator() -> Draft202012Validator:
    """A validator for a 360Giving package that never goes to the network."""
    grant = Resource.from_contents(grant_schema(), default_specification=DRAFT202012)
    registry = Registry().with_resources([(url, grant) for url in GRANT_SCHEMA_URLS])
    return Draft202012Validator(package_schema(), registry=registry,
                                format_checker=format_checker())


def package_errors(package: dict[str, Any]) -> list[str]:
    """What makes a package invalid, one message per error (empty when it is valid)."""
    errors = sorted(package_validator().iter_errors(package), key=lambda e: list(e.path))
    return [f"{'/'.join(str(p) for p in error.path) or '(package)'}: {error.message}"
            for error in errors]
