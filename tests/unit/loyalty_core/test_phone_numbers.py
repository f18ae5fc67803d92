"""Phone numbers typed as people type them become E.164; anything else is refused clearly."""

from __future__ import annotations

import pytest

from loyalty_core.phone import (
    EmptyPhoneNumberError,
    InvalidPhoneNumberError,
    UnknownRegionError,
    check_region,
    display_phone,
    mask_phone,
    normalize_phone,
)


@pytest.mark.parametrize(
    "typed",
    [
        "+7 912 345-67-89",
        "+79123456789",
        "8 (912) 345-67-89",
        "89123456789",
        "8-912-345-67-89",
        "7 912 345 67 89",
        "912 345 67 89",
        "(912) 3456789",
        " +7 (912) 345 67 89 ",
        "+7.912.345.67.89",
    ],
)
def test_russian_mobile_formats(typed: str) -> None:
    assert normalize_phone(typed) == "+79123456789"


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("8 (495) 123-45-67", "RU", "+74951234567"),  # Moscow landline
        ("8 800 555 35 35", "RU", "+78005553535"),  # toll-free
        ("+44 20 7946 0958", "RU", "+442079460958"),  # a foreign number with its code
        ("020 7946 0958", "GB", "+442079460958"),
        ("(650) 253-0000", "US", "+16502530000"),
        ("+49 30 901820", "RU", "+4930901820"),
        ("8 701 123 45 67", "KZ", "+77011234567"),
    ],
)
def test_other_regions_and_landlines(typed: str, region: str, e164: str) -> None:
    assert normalize_phone(typed, region) == e164


@pytest.mark.parametrize(
    "typed",
    [
        "12345",
        "8 912 345 67",
        "+7 912 345 67 89 00",
        "phone",
        "+7 000 000 00 00",
        "+999 123 456 789",
    ],
)
def test_invalid_numbers_are_refused_with_the_text_quoted(typed: str) -> None:
    with pytest.raises(InvalidPhoneNumberError) as info:
        normalize_phone(typed)
    assert info.value.code == "phone.invalid"
    assert typed in info.value.message


def test_empty_input_asks_for_a_number() -> None:
    with pytest.raises(EmptyPhoneNumberError) as info:
        normalize_phone("   ")
    assert info.value.message == "Enter a phone number."


def test_region_setting_is_checked() -> None:
    assert check_region("ru") == "RU"
    with pytest.raises(UnknownRegionError):
        check_region("XX")


def test_masking_and_display() -> None:
    assert mask_phone("+79123456789") == "+7912***6789"
    assert display_phone("+79123456789") == "+7 912 345-67-89"
