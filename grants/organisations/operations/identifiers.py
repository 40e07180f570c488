"""Charity numbers, company numbers and postcodes: checked by format and normalised.

Each function takes what a person typed and returns the canonical form, or raises
IdentifierError with a message for that person.
"""

import re

from grants.core.translatable import N_
from grants.organisations.models import CharityRegulator


class IdentifierError(ValueError):
    """The value is not a valid identifier; the message says why, for the person."""


def _squashed(value: str | None, missing: str) -> str:
    """What was typed, upper case and without spaces (people type "sc 012 345" as often as
    "SC012345"); IdentifierError(missing) when nothing was."""
    squashed = re.sub(r"\s+", "", value or "").upper()
    if not squashed:
        raise IdentifierError(missing)
    return squashed


_CCEW = re.compile(r"^[0-9]{6,7}(?:-[0-9]{1,2})?$")
_OSCR = re.compile(r"^SC[0-9]{6}$")
_CCNI_PREFIXED = re.compile(r"^NIC[0-9]{6}$")
_CCNI_NUMBER = re.compile(r"^1[0-9]{5}$")  # 100000 to 199999


def charity_regulator_for(value: str | None) -> CharityRegulator:
    """The regulator a charity number belongs to, read from its form: SC012345 is Scottish,
    NIC100123 Northern Irish, and digits (1123456) are England and Wales's. So a person who
    gives a number need not say which register it is on."""
    number = re.sub(r"\s+", "", value or "").upper()
    if number.startswith("SC"):
        return CharityRegulator.OSCR
    if number.startswith("NIC"):
        return CharityRegulator.CCNI
    return CharityRegulator.CCEW


def normalise_charity_number(regulator: CharityRegulator, value: str | None) -> str:
    number = _squashed(value, N_("Enter the charity number"))
    if regulator is CharityRegulator.CCEW:
        if not _CCEW.match(number):
            raise IdentifierError(N_(
                "Enter a charity number for England and Wales of 6 or 7 digits, like 1123456, "
                "with -1 after it for a linked charity"
            ))
        return number
    if regulator is CharityRegulator.OSCR:
        if not _OSCR.match(number):
            raise IdentifierError(
                N_("Enter a Scottish charity number: SC and 6 digits, like SC012345"))
        return number
    if _CCNI_PREFIXED.match(number) or _CCNI_NUMBER.match(number):
        return number
    raise IdentifierError(N_(
        "Enter a Northern Ireland charity number: NIC and 6 digits, like NIC100123, or a number "
        "from 100000 to 199999"
    ))


# Companies House prefixes: Scotland, Northern Ireland, LLPs, overseas, registered societies,
# charitable incorporated organisations and the rest.
COMPANY_PREFIXES = frozenset({
    "AC", "CE", "CS", "FC", "FE", "GE", "GN", "GS", "IC", "IP", "LP", "NA", "NC", "NF", "NI",
    "NL", "NO", "NP", "NR", "NZ", "OC", "PC", "RC", "RS", "SA", "SC", "SE", "SF", "SG", "SI",
    "SL", "SO", "SP", "SR", "SZ", "ZC",
})
_COMPANY = re.compile(r"^(?:[0-9]{8}|(?P<prefix>[A-Z]{2})[0-9]{6})$")


def normalise_company_number(value: str | None) -> str:
    number = _squashed(value, N_("Enter the company number"))
    match = _COMPANY.match(number)
    if match is None or (match["prefix"] and match["prefix"] not in COMPANY_PREFIXES):
        raise IdentifierError(N_(
            "Enter a company number of 8 characters: 8 digits, like 01234567, or 2 letters "
            "and 6 digits, like SC123456"
        ))
    return number


_POSTCODE = re.compile(r"^(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)(?P<inward>[0-9][A-Z]{2})$")


def normalise_postcode(value: str | None) -> str:
    """Upper case with one space before the last three characters: "rg11aa" -> "RG1 1AA"."""
    postcode = _squashed(value, N_("Enter a postcode"))
    match = _POSTCODE.match(postcode)
    if match is None or (match["outward"] == "GIR" and match["inward"] != "0AA"):
        raise IdentifierError(N_("Enter a real postcode, like RG1 1AA"))
    return f"{match['outward']} {match['inward']}"


_NOT_WORDS = re.compile(r"[^a-z0-9]+")
_LEGAL_ENDINGS = ("limited", "ltd", "cic", "cio", "charity")


def name_key(name: str) -> str:
    """A name as people write it differently for one organisation: "The Reading Street
    Support Ltd." and "reading street-support" both give "reading street support"."""
    words = _NOT_WORDS.sub(" ", name.lower().replace("&", " and ")).split()
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _LEGAL_ENDINGS:
        words = words[:-1]
    return " ".join(words)
