"""The till on the screens stores have: 1366×768 and 1024×768 laptops and POS terminals. The
whole checkout, the pay button and the status bar stay inside the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from pos_client.ui.app import PREFERRED_SIZE, fitted_size
from pos_client.ui.checkout.screen import CheckoutScreen


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
