"""Staff scores at the till (F11): the window shows what the server answers — a manager's
whole store with each cashier's comments on low ratings, or one cashier's own card — and
says so when the server cannot be asked. The server is stood in for behind the till's own
seam (``TillServices.scorecard_reader``); the real API is tested in
``tests/e2e/sync/test_till_scorecards.py``."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from loyalty_core.wire.scorecards import ScorecardsV1, ScorecardV1
from pos_client.adapters.server_client import ServerUnavailableError
from pos_client.bootstrap import Till
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.main_window import MainWindow
from pos_client.ui.scores_dialog import ScoresDialog
from tests.integration.ui.conftest import press


def _card(name: str, score: str, comments: list[str]) -> ScorecardV1:
    return ScorecardV1(
        staff_id=name,
        name=name,
        score=Decimal(score),
        votes=12,
        average=Decimal("4.50"),
        distribution=[1, 0, 1, 2, 8],
        low_comments=comments,
        sales=40,
        revenue=400_000,
        average_check=10_000,
        returns=1,
        card_share_bp=6_250,
        registrations=3,
        questionnaires=2,
        redeemed=500,
        overrides=0,
    )


def _scores(whole: bool) -> ScorecardsV1:
    cards = [_card("Анна Смирнова", "4.41", ["Долго искала товар"])]
    if whole:
        cards.append(_card("Олег Петров", "4.10", []))
    return ScorecardsV1(
        store_id="store",
        first=date(2026, 11, 6),
        last=date(2026, 12, 3),
        prior_mean=Decimal("4.20"),
        cards=cards,
        whole_store=whole,
    )


def _open(qtbot: QtBot, window: MainWindow) -> ScoresDialog:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press(window.checkout.scan_bar.field, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: window.scores is not None)
    dialog = window.scores
    assert dialog is not None
    return dialog


def test_the_server_answers_and_the_cashier_sees_their_card_and_comments(
    qtbot: QtBot, till: Till, checkout: CheckoutScreen
) -> None:
    asked: list[tuple[str, bool]] = []

    def from_server(staff_id: str) -> ScorecardsV1:
        asked.append((staff_id, threading.current_thread() is threading.main_thread()))
        return _scores(whole=False)

    till.services.scorecard_reader = from_server
    window = checkout.window()
    assert isinstance(window, MainWindow) and window.staff is not None
    dialog = _open(qtbot, window)
    qtbot.waitUntil(lambda: dialog.scores is not None)
    assert asked == [(window.staff.id, False)]  # asked for who is signed in, off the GUI thread
    assert dialog.table.rowCount() == 1
    cells = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert cells[:5] == ["Анна Смирнова", "4.41", "12", "4.50", "62,5%"]
    assert "Your score" in dialog.state.text() and "4.20" in dialog.state.text()
    assert [dialog.comments.item(i).text() for i in range(dialog.comments.count())] == [
        "Долго искала товар"
    ]
    press(dialog.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.scores is None)


def test_a_manager_picks_a_cashier_and_sees_that_cashiers_comments(
    qtbot: QtBot, till: Till, checkout: CheckoutScreen
) -> None:
    till.services.scorecard_reader = lambda _staff_id: _scores(whole=True)
    window = checkout.window()
    assert isinstance(window, MainWindow)
    dialog = _open(qtbot, window)
    qtbot.waitUntil(lambda: dialog.scores is not None)
    assert dialog.table.rowCount() == 2 and "best served first" in dialog.state.text()
    dialog.table.selectRow(1)
    assert [dialog.comments.item(i).text() for i in range(dialog.comments.count())] == [
        "No comments on low ratings."
    ]
    press(dialog.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.scores is None)


def test_offline_the_window_says_the_scores_need_the_server(
    qtbot: QtBot, till: Till, checkout: CheckoutScreen
) -> None:
    def offline(_staff_id: str) -> ScorecardsV1:
        raise ServerUnavailableError(url="http://127.0.0.1:9", reason="connection refused")

    till.services.scorecard_reader = offline
    window = checkout.window()
    assert isinstance(window, MainWindow)
    dialog = _open(qtbot, window)
    qtbot.waitUntil(lambda: "need the server" in dialog.state.text())
    assert dialog.table.rowCount() == 0
    assert dialog.message.text()  # why, in the cashier's words
    press(dialog.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.scores is None)
