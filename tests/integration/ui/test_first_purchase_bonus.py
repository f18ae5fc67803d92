"""The demo's first-purchase boost (50% back instead of the tier's 3%) is explained on
screen: "Will earn" is split into the tier's part and the first purchase bonus with their
rates, a note says why, and the summary after paying names it. The engine's figures are
shown as they are."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from loyalty_core.money import Currency
from loyalty_core.rules import default_rules
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_card, demo_phone
from pos_client.ui.app import install_translations, remove_translations
from pos_client.ui.checkout.screen import CheckoutScreen
from tests.integration.ui.conftest import (
    BEANS,
    MILK,
    pay_at_till,
    press,
    scan,
    type_enter,
    wait_quote,
)

RUB = Currency()
NEW_CUSTOMER = 1  # a demo customer who has bought nothing yet (every third one has)
REGULAR = 0  # one with purchases behind them


def _points(points: int) -> str:
    return "+" + RUB.format(points, symbol=False)


def _earn_rows(checkout: CheckoutScreen) -> list[tuple[str, str]]:
    return [
        (caption.text(), value.text())
        for caption, value in checkout.totals.earn_parts
        if caption.isVisible()
    ]


def _identify(qtbot: QtBot, checkout: CheckoutScreen, index: int) -> None:
    press(checkout.scan_bar.field, Qt.Key.Key_F2)
    type_enter(checkout.customer_panel.field, demo_phone(index))
    qtbot.waitUntil(lambda: checkout.session.customer is not None)


def test_a_first_purchase_shows_what_will_earn_is_made_of(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    rules = default_rules()
    assert (rules.first_purchase.accrual_bp, rules.tiers.tiers[0].accrual_bp) == (5000, 300)
    _identify(qtbot, checkout, NEW_CUSTOMER)

    scan(qtbot, checkout, MILK)
    wait_quote(qtbot, checkout)

    receipt = checkout.session.receipt
    assert receipt is not None and receipt.boost > 0
    assert checkout.totals.earn.text() == _points(receipt.earned)
    assert _earn_rows(checkout) == [
        ("Bronze: 3% back", _points(receipt.accrual)),
        ("First purchase bonus +47%", _points(receipt.boost)),  # 3% + 47% = 50% back
    ]
    assert receipt.accrual + receipt.boost == receipt.earned  # the parts add up
    assert receipt.boost_expires_at is not None
    expires = checkout.session.formats.day(receipt.boost_expires_at)
    assert (
        "First purchase bonus: a customer's first purchase earns 50% back instead of 3%;"
        f" the extra {_points(receipt.boost)} expires on {expires}."
    ) in checkout.totals.note_lines
    assert not any(line.startswith("First purchase: +") for line in checkout.totals.note_lines)


def test_a_regular_customer_sees_will_earn_alone(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    scan(qtbot, checkout, demo_card(till.services.ctx.card_codec, REGULAR))
    qtbot.waitUntil(lambda: checkout.session.customer is not None)

    scan(qtbot, checkout, BEANS)
    wait_quote(qtbot, checkout)

    receipt = checkout.session.receipt
    assert receipt is not None and receipt.boost == 0
    assert checkout.totals.earn.text() == _points(receipt.earned)
    assert _earn_rows(checkout) == []
    assert not any("First purchase" in line for line in checkout.totals.note_lines)


def test_the_summary_after_paying_names_the_first_purchase_bonus(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    _identify(qtbot, checkout, NEW_CUSTOMER)
    scan(qtbot, checkout, MILK)
    wait_quote(qtbot, checkout)

    sale = pay_at_till(qtbot, checkout)

    details = checkout.summary.details.text().splitlines()
    assert f"including the first purchase bonus: {_points(sale.receipt.boost)}" in details
    assert _earn_rows(checkout) == []  # the empty cart's totals have nothing to split


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[None]:
    translators = install_translations(qapp, "ru")
    yield
    remove_translations(qapp, translators)


@pytest.mark.usefixtures("russian")
def test_the_explanation_is_translated(qtbot: QtBot, checkout: CheckoutScreen) -> None:
    _identify(qtbot, checkout, NEW_CUSTOMER)
    scan(qtbot, checkout, MILK)
    wait_quote(qtbot, checkout)

    captions = [caption for caption, _value in _earn_rows(checkout)]
    assert captions[1].startswith("Бонус за первую покупку")
    assert any(line.startswith("Бонус за первую покупку:") for line in checkout.totals.note_lines)
