"""Charity numbers, company numbers and postcodes: every format accepted and normalised, the
rest refused with a message."""

import pytest

from grants.organisations.models import CharityRegulator, charity_org_id
from grants.organisations.operations.identifiers import (
    IdentifierError,
    normalise_charity_number,
    normalise_company_number,
    normalise_postcode,
)

CCEW, OSCR, CCNI = CharityRegulator.CCEW, CharityRegulator.OSCR, CharityRegulator.CCNI


@pytest.mark.parametrize("regulator,typed,normalised,org_id", [
    (CCEW, "1123456", "1123456", "GB-CHC-1123456"),
    (CCEW, "212345", "212345", "GB-CHC-212345"),
    (CCEW, " 1123456-1 ", "1123456-1", "GB-CHC-1123456-1"),
    (CCEW, "1 123 456", "1123456", "GB-CHC-1123456"),
    (OSCR, "SC012345", "SC012345", "GB-SC-SC012345"),
    (OSCR, "sc 012345", "SC012345", "GB-SC-SC012345"),
    (CCNI, "NIC100123", "NIC100123", "GB-NIC-100123"),
    (CCNI, "nic 100123", "NIC100123", "GB-NIC-100123"),
    (CCNI, "100123", "100123", "GB-NIC-100123"),
    (CCNI, "199999", "199999", "GB-NIC-199999"),
])
def test_charity_numbers_of_each_regulator_are_accepted_and_normalised(
    regulator, typed, normalised, org_id
):
    number = normalise_charity_number(regulator, typed)
    assert number == normalised
    assert charity_org_id(regulator, number) == org_id


@pytest.mark.parametrize("regulator,typed", [
    (CCEW, "12345"), (CCEW, "12345678"), (CCEW, "1123456-"), (CCEW, "1123456-123"),
    (CCEW, "SC012345"), (CCEW, "112345a"), (CCEW, ""),
    (OSCR, "012345"), (OSCR, "SC01234"), (OSCR, "SC0123456"), (OSCR, "NIC100123"),
    (CCNI, "099999"), (CCNI, "200000"), (CCNI, "NIC10012"), (CCNI, "1123456"),
])
def test_charity_numbers_in_the_wrong_format_are_refused(regulator, typed):
    with pytest.raises(IdentifierError):
        normalise_charity_number(regulator, typed)


@pytest.mark.parametrize("typed,normalised", [
    ("01234567", "01234567"), ("SC123456", "SC123456"), ("sc 123456", "SC123456"),
    ("ni123456", "NI123456"), ("OC123456", "OC123456"), ("CE012345", "CE012345"),
    ("CS000123", "CS000123"), ("ip 123456", "IP123456"), ("RS007654", "RS007654"),
    (" 0123 4567 ", "01234567"),
])
def test_company_numbers_are_accepted_and_normalised(typed, normalised):
    assert normalise_company_number(typed) == normalised


@pytest.mark.parametrize("typed", [
    "1234567", "123456789", "XX123456", "SC12345", "SC1234567", "S1234567", "", "01234-67",
])
def test_company_numbers_in_the_wrong_format_are_refused(typed):
    with pytest.raises(IdentifierError):
        normalise_company_number(typed)


@pytest.mark.parametrize("typed,normalised", [
    ("RG1 1AA", "RG1 1AA"), ("rg11aa", "RG1 1AA"), ("ox16 5aa", "OX16 5AA"),
    ("SW1A 2AA", "SW1A 2AA"), ("W1A 1AA", "W1A 1AA"), ("M1 1AE", "M1 1AE"),
    ("  mk9   2ab ", "MK9 2AB"), ("GIR 0AA", "GIR 0AA"),
])
def test_postcodes_are_normalised_to_upper_case_with_one_space(typed, normalised):
    assert normalise_postcode(typed) == normalised


@pytest.mark.parametrize("typed", ["", "RG1", "RG1 1A", "1RG 1AA", "RG1 AAA", "RG1-1AA",
                                   "GIR 1AA", "RG11 1AAA"])
def test_postcodes_that_are_not_postcodes_are_refused(typed):
    with pytest.raises(IdentifierError):
        normalise_postcode(typed)
