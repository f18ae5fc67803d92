"""The till on the screens stores have: 1366×768 and 1024×768 laptops and POS terminals. The
whole checkout, the pay button and the status bar stay inside the window, and no row of
the totals or of the sale's summary is squeezed over another, whatever the sale showed."""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from loyalty_core.receipt import PricedReceipt
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_card, demo_phone
from pos_client.ui.app import PREFERRED_SIZE, fitted_size
from pos_client.ui.checkout.screen import CheckoutScreen
from tests.integration.ui.conftest import BEANS, MILK, pay_at_till, press, scan, type_enter


def _inside(window: QWidget, widget: QWidget) -> bool:
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return window.rect().contains(rect)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 768)])
def test_the_checkout_and_the_status_bar_fit_the_screen(
    qtbot: QtBot, checkout: CheckoutScreen, width: int, height: int
) -> None:
    window = checkout.window()
    assert window.minimumSizeHint().height() <= height
    assert window.minimumSize().width() <= width and window.minimumSize().height() <= height
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.size() == QSize(width, height))
    status = window.statusBar()
    for widget in (
        checkout.scan_bar.field,
        checkout.table,
        checkout.customer_panel,
        checkout.totals.pay_button,
        checkout.totals.to_pay,
        status,
        *(w for w in status.findChildren(QWidget) if w.isVisible() and w.parent() is status),
    ):
        assert widget.isVisible() and _inside(window, widget), widget.objectName()


def test_a_window_is_made_smaller_to_fit_a_smaller_screen_never_larger() -> None:
    assert fitted_size(QSize(1366, 768)) == QSize(1280, 768)
    assert fitted_size(QSize(1024, 740)) == QSize(1024, 740)
    assert fitted_size(QSize(1920, 1080)) == PREFERRED_SIZE


def _rows(panel: QWidget) -> list[QWidget]:
    return [w for w in panel.findChildren(QWidget) if w.parent() is panel and w.isVisible()]


def _needed_height(widget: QWidget) -> int:
    if widget.hasHeightForWidth():
        return widget.heightForWidth(widget.width())
    return widget.minimumSizeHint().height()


def assert_rows_apart(panel: QWidget) -> None:
    """Every visible row of ``panel`` has the height its text needs, and none overlaps
    another (a row squeezed below that height spills its text over its neighbours)."""
    rows = _rows(panel)
    assert rows
    for row in rows:
        label = row.text() if isinstance(row, (QLabel, QPushButton)) else row.objectName()
        assert row.height() >= _needed_height(row), f"{label!r} squeezed in {panel.objectName()}"
    for a, b in combinations(rows, 2):
        assert not a.geometry().intersects(b.geometry()), (a.objectName(), b.objectName())


def assert_side_column_apart(checkout: CheckoutScreen) -> None:
    window = checkout.window()
    shown = [w for w in (checkout.side.upper, checkout.summary, checkout.totals) if w.isVisible()]
    for a, b in combinations(shown, 2):
        assert not _inside_rect(window, a).intersects(_inside_rect(window, b))
    assert checkout.side.upper.height() >= checkout.side.upper.minimumSizeHint().height()
    for panel in (checkout.totals, checkout.summary):
        if panel.isVisible():
            assert_rows_apart(panel)
            assert _inside(window, panel), panel.objectName()


def _inside_rect(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _sized(qtbot: QtBot, checkout: CheckoutScreen, width: int, height: int) -> None:
    window = checkout.window()
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.size() == QSize(width, height))


def _quoted(qtbot: QtBot, checkout: CheckoutScreen, ready: Callable[[PricedReceipt], bool]) -> None:
    qtbot.waitUntil(
        lambda: checkout.session.receipt is not None and ready(checkout.session.receipt)
    )


@pytest.mark.usefixtures("till_style")
@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 768)])
def test_the_totals_rows_never_overlap_after_a_sale_with_discount_bonus_and_promo(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till, width: int, height: int
) -> None:
    _sized(qtbot, checkout, width, height)
    scan(qtbot, checkout, demo_card(till.services.ctx.card_codec, 0))  # Gold, with bonus
    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    for code in (BEANS, BEANS, BEANS, MILK):
        scan(qtbot, checkout, code)
    press(checkout.scan_bar.field, Qt.Key.Key_F6)
    type_enter(checkout.options.promo_field, "MINUS500")
    press(checkout.scan_bar.field, Qt.Key.Key_F4)
    _quoted(qtbot, checkout, lambda r: r.redeemed > 0 and r.promos == ("MINUS500",))
    receipt = checkout.session.receipt
    assert receipt is not None and receipt.discount_total > 0
    qtbot.waitUntil(lambda: assert_side_column_apart(checkout))  # once laid out

    pay_at_till(qtbot, checkout, cash="5000")  # change to give: the summary's largest line
    assert checkout.summary.isVisible() and checkout.summary.change.isVisible()
    qtbot.waitUntil(lambda: assert_side_column_apart(checkout))  # once laid out

    scan(qtbot, checkout, MILK)  # the next sale, then cancelled: an empty cart again
    qtbot.waitUntil(lambda: len(checkout.session.cart) == 1)
    press(checkout.scan_bar.field, Qt.Key.Key_Escape)
    press(checkout.scan_bar.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: checkout.session.cart.is_empty)
    assert not checkout.summary.isVisible()
    qtbot.waitUntil(lambda: assert_side_column_apart(checkout))  # once laid out


@pytest.mark.usefixtures("till_style")
@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 768)])
def test_a_first_purchase_with_its_bonus_rows_fits_too(
    qtbot: QtBot, checkout: CheckoutScreen, width: int, height: int
) -> None:
    _sized(qtbot, checkout, width, height)
    press(checkout.scan_bar.field, Qt.Key.Key_F2)
    type_enter(checkout.customer_panel.field, demo_phone(1))  # has bought nothing yet
    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    scan(qtbot, checkout, BEANS)
    press(checkout.scan_bar.field, Qt.Key.Key_F6)
    type_enter(checkout.options.promo_field, "WELCOME10")
    _quoted(qtbot, checkout, lambda r: r.boost > 0 and r.promos == ("WELCOME10",))
    qtbot.waitUntil(lambda: assert_side_column_apart(checkout))  # once laid out

    pay_at_till(qtbot, checkout)
    qtbot.waitUntil(lambda: assert_side_column_apart(checkout))  # once laid out


def _in_view(checkout: CheckoutScreen, field: QWidget) -> bool:
    viewport = checkout.side.upper.viewport()
    return viewport.rect().contains(QRect(field.mapTo(viewport, QPoint(0, 0)), field.size()))


@pytest.mark.usefixtures("till_style")
def test_on_a_short_screen_the_keys_bring_their_field_into_view(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    _sized(qtbot, checkout, 1024, 768)
    scan(qtbot, checkout, demo_card(till.services.ctx.card_codec, 0))
    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    scan(qtbot, checkout, BEANS)
    press(checkout.scan_bar.field, Qt.Key.Key_F6)
    type_enter(checkout.options.promo_field, "MINUS500")
    _quoted(qtbot, checkout, lambda r: r.promos == () and bool(r.notes))
    assert checkout.side.upper.verticalScrollBar().maximum() > 0  # not all of it fits

    for key, field in (
        (Qt.Key.Key_F6, checkout.options.promo_field),
        (Qt.Key.Key_F2, checkout.customer_panel.field),
        (Qt.Key.Key_F5, checkout.options.amount_field),
    ):
        press(checkout.scan_bar.field, key)
        qtbot.waitUntil(field.hasFocus)
        qtbot.waitUntil(lambda shown=field: _in_view(checkout, shown))
        press(field, Qt.Key.Key_Escape)  # back to the scan field
        qtbot.waitUntil(checkout.scan_bar.field.hasFocus)
