import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty_core.money import Currency, InvalidAmountError, allocate, allocate_cumulative
from loyalty_core.notes import TEMPLATES, Note, note
from loyalty_core.pricing import MAX, price_checkout
from loyalty_core.receipt import CustomerState
from loyalty_core.receipt_wire import receipt_from_wire, receipt_to_wire
from loyalty_core.rules import default_rules
from loyalty_core.wallet import project

from .builders import CUSTOMER, T0, at, line, lot


def test_allocate_splits_by_largest_remainder_ties_to_the_earlier_line() -> None:
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(10, [5, 0, 5]) == [5, 0, 5]
    assert allocate(7, [3, 3]) == [4, 3]
    assert allocate(0, [3, 3]) == [0, 0]


@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=60), st.data())
def test_allocated_parts_sum_to_the_total_and_never_exceed_their_weight(
    weights: list[int], data: st.DataObject
) -> None:
    total = data.draw(st.integers(0, sum(weights)))
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert all(0 <= p <= w for p, w in zip(parts, weights, strict=True))


def test_largest_remainder_can_give_a_weight_less_as_the_total_grows() -> None:
    # Why step-by-step shares (a check returned line by line) use allocate_cumulative.
    assert allocate(10, [6, 6, 2]) == [4, 4, 2]
    assert allocate(11, [6, 6, 2]) == [5, 5, 1]


def test_cumulative_allocation_hands_out_the_largest_averages_ties_to_the_earlier_weight() -> None:
    # 6/1, 6/1, 6/2, 6/2, then 6/3, 6/3 and 2/1 tie at 2: all three; 6/4, 6/4; 6/5 to the first.
    assert allocate_cumulative(10, [6, 6, 2]) == [5, 4, 1]
    assert allocate_cumulative(11, [6, 6, 2]) == [5, 5, 1]
    assert allocate_cumulative(1, [1, 2]) == [0, 1]
    assert allocate_cumulative(2, [1, 2]) == [1, 1]
    assert allocate_cumulative(3, [1, 2]) == [1, 2]
    assert allocate_cumulative(0, [3, 3]) == [0, 0]
    assert allocate_cumulative(0, []) == []


def test_cumulative_allocation_refuses_a_negative_or_more_than_the_weights_hold() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        allocate_cumulative(-1, [3])
    with pytest.raises(ValueError, match="non-negative"):
        allocate_cumulative(1, [3, -1])
    with pytest.raises(ValueError, match="more than the weights hold"):
        allocate_cumulative(4, [1, 2])


@given(st.lists(st.integers(0, 40), min_size=1, max_size=5))
def test_a_larger_total_never_gives_any_weight_less(weights: list[int]) -> None:
    before = [0] * len(weights)
    for total in range(sum(weights) + 1):
        parts = allocate_cumulative(total, weights)
        assert sum(parts) == total
        assert all(b <= p <= w for b, p, w in zip(before, parts, weights, strict=True))
        before = parts


@pytest.mark.parametrize(
    ("typed", "minor"),
    [
        ("12", 1_200),
        ("12.5", 1_250),
        ("12,50", 1_250),
        (" 1 234,00 ", 123_400),
        ("1\u00a0234,5", 123_450),
        (",5", 50),
        ("5.", 500),
        ("0", 0),
        ("12,300", 1_230),
        ("12345678901234567890123456789012,34", 1234567890123456789012345678901234),
    ],
)
def test_an_amount_is_parsed_exactly_as_typed(typed: str, minor: int) -> None:
    assert Currency().parse(typed) == minor


@pytest.mark.parametrize(
    "typed",
    ["", ",", "12.345", "-5", "+5", "1e3", "1_000", "1e999999999", "١٢", "1,2,3", "9" * 5000],
)
def test_anything_but_digits_and_one_separator_is_refused(typed: str) -> None:
    with pytest.raises(InvalidAmountError):
        Currency().parse(typed)


def test_notes_render_an_english_default_with_money_percent_and_date() -> None:
    assert note("redeem.cap_reached", cap_bp=3000, cap=43_476).message == (
        "Bonus capped at 30% of the check: 434,76"
    )
    assert note("accrual.pending", points=12_000, until="2024-12-05").message == (
        "+120,00 bonus pending until 05.12"
    )
    assert note("promo.expired", promo="SPRING", date="2024-05-31").message == (
        "Promo SPRING expired on 31.05"
    )
    assert Note("tier.discount", {"tier": "Gold", "discount_bp": 250, "amount": 5}).message == (
        "Gold discount 2.5%: -0,05"
    )


def test_every_note_code_has_a_template_the_ui_can_translate() -> None:
    assert all(code.count(".") == 1 and text for code, text in TEMPLATES.items())


def test_a_priced_receipt_survives_json() -> None:
    customer = CustomerState(CUSTOMER, project(CUSTOMER, [lot(50_000, when=at(-2))]))
    receipt = price_checkout(
        default_rules(),
        [line(12_345, line_id="a"), line(999, line_id="b", category="tobacco")],
        now=T0,
        customer=customer,
        redeem=MAX,
        promo_codes=["WELCOME10"],
    )
    text = json.dumps(receipt_to_wire(receipt))
    assert receipt_from_wire(json.loads(text)) == receipt


def test_a_receipt_stored_before_redeem_most_existed_still_loads() -> None:
    customer = CustomerState(CUSTOMER, project(CUSTOMER, [lot(50_000, when=at(-2))]))
    receipt = price_checkout(default_rules(), [line(12_345)], now=T0, customer=customer)
    stored = receipt_to_wire(receipt)
    del stored["redeem_most"]
    loaded = receipt_from_wire(json.loads(json.dumps(stored)))
    assert loaded.redeem_most == min(receipt.available_before, receipt.redeem_cap)
    assert loaded.lines == receipt.lines


@pytest.mark.parametrize(
    ("minor", "shown"),
    [
        (123_456, "1 234,56 ₽"),
        (123_456_789, "1 234 567,89 ₽"),
        (5, "0,05 ₽"),
        (-150, "-1,50 ₽"),
        (-123_456_789, "-1 234 567,89 ₽"),
    ],
)
def test_an_amount_is_shown_with_spaces_between_thousands_and_its_sign(
    minor: int, shown: str
) -> None:
    assert Currency().format(minor) == shown


def test_an_amount_without_its_symbol_keeps_its_sign_and_separator() -> None:
    assert Currency().format(-150, symbol=False) == "-1,50"
    assert Currency().format(123_456, symbol=False, decimal_sep=".") == "1 234.56"


def test_a_currency_without_minor_units_parses_and_shows_whole_amounts() -> None:
    yen = Currency(code="JPY", exponent=0, symbol="¥")
    assert yen.parse("12") == 12
    assert yen.parse("1 234") == 1_234
    assert yen.format(1_234_567) == "1 234 567 ¥"
    with pytest.raises(InvalidAmountError):
        yen.parse("12,5")


@pytest.mark.parametrize("typed", ["12.345", "1e3", "9" * 5000])
def test_a_refused_amount_names_what_was_typed(typed: str) -> None:
    with pytest.raises(InvalidAmountError) as refused:
        Currency().parse(typed)
    assert refused.value.message == f"'{typed}' is not an amount of money."


def test_a_note_of_a_code_no_template_knows_shows_its_code() -> None:
    # A note stored by a newer engine, read by an older till: its code, never a crash.
    assert Note("accrual.something_new", {"points": 100}).message == "accrual.something_new"
    with pytest.raises(KeyError, match=r"unknown note code accrual\.something_new"):
        note("accrual.something_new")


def test_only_date_parameters_are_shown_as_dates() -> None:
    # A promo code that looks like a date stays as typed; the expiry date is shown as a day.
    shown = Note("promo.expired", {"promo": "2024-05-31", "date": "2024-05-31"}).message
    assert shown == "Promo 2024-05-31 expired on 31.05"
