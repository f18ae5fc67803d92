"""What a cashier types as a line discount, read as money: a percentage rounded half up to
the kopeck, or an amount; nothing above the line's price, nothing of zero or below."""

from __future__ import annotations

import pytest

from pos_client.ui.checkout.line_discount_dialog import discount_of
from pos_client.ui.formatting import Formats

FMT = Formats()


@pytest.mark.parametrize(
    ("typed", "gross", "off"),
    [
        ("10%", 149_900, 14_990),
        ("12,5 %", 8_990, 1_124),  # 1 123,75 kopecks, half up
        ("33.3%", 100, 33),
        ("100%", 8_990, 8_990),
        ("150,00", 149_900, 15_000),
        ("1499", 149_900, 149_900),
        ("0,01", 149_900, 1),
    ],
)
def test_a_discount_typed_as_percent_or_amount(typed: str, gross: int, off: int) -> None:
    assert discount_of(typed, gross, FMT) == off


@pytest.mark.parametrize(
    "typed", ["0%", "100,01%", "-5%", "abc%", "%", "0", "1499,01", "ten", "", "nan%", "inf%"]
)
def test_what_is_not_a_discount_of_the_line_is_refused(typed: str) -> None:
    assert discount_of(typed, 149_900, FMT) is None
