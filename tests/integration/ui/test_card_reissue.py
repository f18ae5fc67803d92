"""A customer who lost their card gets a new one at the till: the first press asks, the
second issues it; the new number shows, and the old card no longer identifies anyone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from loyalty_core.errors import DomainError
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_card, demo_phone
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.message_bar import Kind
from tests.integration.ui.conftest import type_enter


def test_a_lost_card_is_replaced_after_a_second_press_and_stops_working(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    panel = checkout.customer_panel
    assert not panel.reissue_button.isVisible()  # nobody identified yet
    old = demo_card(till.services.ctx.card_codec, 2)
    type_enter(panel.field, demo_phone(2))
    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    assert panel.reissue_button.isVisible()

    qtbot.mouseClick(panel.reissue_button, Qt.MouseButton.LeftButton)
    assert checkout.message.kind is Kind.WARNING
    assert checkout.message.text() == (
        "Press again to issue a new card: the old one will stop working."
    )
    assert till.services.identify(old).customer.phone == demo_phone(2)  # nothing changed yet

    qtbot.mouseClick(panel.reissue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checkout.message.kind is Kind.SUCCESS)
    customer = checkout.session.customer
    assert customer is not None and customer.card_number not in (None, old)
    new = customer.card_number
    assert new is not None and new[-4:] in checkout.message.text()
    assert new[-4:] in panel.contact.text()
    with pytest.raises(DomainError):
        till.services.identify(old)
    assert till.services.identify(new).customer.phone == demo_phone(2)
