"""Every string the cashier sees is translated, and the Russian till speaks Russian."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QSize, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QStyle, QStyleOptionFrame
from pytestqt.qtbot import QtBot

import loyalty_core
import pos_client.services
from loyalty_core.customers import CardNotActiveError
from loyalty_core.errors import DomainError
from loyalty_core.notes import TEMPLATES, Note
from pos_client.bootstrap import Till
from pos_client.services.checkout import PriceChangedError
from pos_client.services.demo_store import demo_card
from pos_client.ui.app import install_translations, remove_translations
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.error_text import describe, error_templates
from pos_client.ui.formatting import Formats, tier_name
from pos_client.ui.main_window import MainWindow
from pos_client.ui.message_bar import Kind
from pos_client.ui.note_text import note_templates, note_text
from tests.integration.ui.conftest import (
    BEANS,
    CASHIER,
    log_in,
    pay_at_till,
    press,
    scan,
    wait_quote,
)

ROOT = Path(__file__).resolve().parents[3]
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
UPDATE_SCRIPT = ROOT / "resources" / "translations" / "update.py"


def load_update_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("translations_update", UPDATE_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[None]:
    translators = install_translations(qapp, "ru")
    assert translators, "till_ru.qm did not load"
    yield
    remove_translations(qapp, translators)


def test_the_committed_catalogue_has_no_unfinished_or_empty_string() -> None:
    update = load_update_script()
    for lang in update.LANGUAGES:
        assert update.untranslated(UPDATE_SCRIPT.parent / f"till_{lang}.ts") == []


def test_the_sources_hold_no_string_missing_from_the_catalogue(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """lupdate over today's sources adds nothing untranslated, and the .qm is current."""
    update = load_update_script()

    status = update.check()

    assert status == 0, capsys.readouterr().out


def test_every_note_code_of_the_engine_has_a_translatable_template() -> None:
    assert set(note_templates()) == set(TEMPLATES)


def test_every_refusal_code_has_a_translatable_template() -> None:
    codes = {cls.code for cls in _domain_errors()} - {DomainError.code}
    assert codes <= set(error_templates()), codes - set(error_templates())


def test_note_params_are_formatted_by_kind() -> None:
    fmt = Formats()

    def text(code: str, **params: int | str) -> str:
        return note_text(Note(code, params), fmt)

    assert text("accrual.pending", points=11441, until="2026-12-07") == (
        "+114,41 bonus pending until 07.12"
    )
    assert text("promo.applied", promo="MINUS500", amount=50000) == "Promo MINUS500: -500,00 ₽"
    assert text("redeem.cap_reached", cap_bp=3000, cap=56113) == (
        "Bonus capped at 30% of the check: 561,13"
    )
    assert text("promo.customer_limit", promo="WELCOME10", uses=1) == (
        "Promo WELCOME10 already used 1 times by this customer"
    )


def test_refusals_format_money_and_statuses() -> None:
    assert describe(PriceChangedError(total=12345)) == (
        "The total changed to 123,45 ₽ while paying; check the receipt again."
    )
    assert describe(CardNotActiveError(masked="************4466", status="replaced")) == (
        "Card ************4466 is replaced by a new card and cannot be used."
    )


@pytest.mark.usefixtures("russian")
def test_every_note_and_refusal_template_resolves_to_russian_at_run_time() -> None:
    """Catches a source text that lupdate collected differently from what the code looks up."""
    templates = {**note_templates(), **error_templates()}
    english = [code for code, text in templates.items() if not CYRILLIC.search(text)]
    assert english == []


@pytest.mark.usefixtures("russian")
def test_notes_and_refusals_read_in_russian() -> None:
    fmt = Formats()
    note = Note("accrual.pending", {"points": 11441, "until": "2026-12-07"})
    assert note_text(note, fmt) == "Бонусы +114,41 станут доступны 07.12"
    assert describe(PriceChangedError(total=12345)) == (
        "Во время оплаты сумма изменилась на 123,45 ₽; проверьте чек ещё раз."
    )


@pytest.mark.usefixtures("russian")  # installed before the window fixture builds the window
def test_with_russian_the_login_screen_speaks_russian(qtbot: QtBot, window: MainWindow) -> None:
    assert window.login.title.text() == "Вход на кассу"
    assert window.login.submit_button.text() == "Войти (Enter)"
    assert window.login.staff.item(0).text().endswith("Кассир")
    assert window.login.demo_hint.text().startswith("Демо-магазин. PIN-коды:")
    assert window.status.staff_label.text() == "Никто не вошёл"
    assert window.windowTitle().startswith("Кофейня «Зерно» — ")  # then the till's own name

    log_in(qtbot, window, CASHIER, "0000")
    qtbot.waitUntil(lambda: window.login.message.kind is Kind.ERROR)
    assert window.login.message.text() == "Неверный PIN-код. Осталось попыток: 4."


def _domain_errors() -> list[type[DomainError]]:
    """Refusals the till can meet: the engine's and the till's (not the server's)."""
    for package in (loyalty_core, pos_client.services):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
    importlib.import_module("pos_client.config")
    found: list[type[DomainError]] = []
    todo = [DomainError]
    while todo:
        cls = todo.pop()
        if cls.__module__.startswith(("loyalty_core.", "pos_client.")):
            found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


@pytest.mark.usefixtures("russian")
def test_the_default_tiers_are_named_in_russian_in_the_russian_till(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    scan(qtbot, checkout, demo_card(till.services.ctx.card_codec, 0))  # a Gold customer
    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    customer = checkout.session.customer
    assert customer is not None and customer.tier_name == "Gold"  # the rules' own name
    assert checkout.customer_panel.tier.text() == "Золото"
    scan(qtbot, checkout, BEANS)
    qtbot.waitUntil(lambda: "Скидка уровня" in checkout.totals.notes.text())
    assert "Скидка уровня «Золото» 5%" in checkout.totals.notes.text()
    assert "Gold" not in checkout.totals.notes.text()


@pytest.mark.usefixtures("russian")
def test_a_tier_the_store_named_itself_keeps_its_name() -> None:
    assert tier_name("Gold", "gold") == "Золото"
    assert tier_name("Gold") == "Золото"  # a note carries the name alone
    assert tier_name("Платиновый", "platinum") == "Платиновый"
    assert tier_name("Gold Plus", "gold") == "Gold Plus"  # renamed: the store's word
    assert tier_name("Gold", "vip") == "Gold"  # another code that happens to say Gold


@pytest.mark.usefixtures("russian")
def test_the_russian_x_report_numbers_the_shift_as_its_heading_does(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    window = checkout.window()
    assert isinstance(window, MainWindow)
    press(checkout.scan_bar.field, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: window.shift is not None and window.shift.loaded)
    dialog = window.shift
    assert dialog is not None
    assert dialog.state.text() == "Смена № 1 открыта."
    (shift,) = [line for line in dialog.text.toPlainText().splitlines() if line.startswith("Смена")]
    assert shift.endswith(" № 1")
    press(dialog.cash, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.shift is None)


def _fits(field: QLineEdit, text: str) -> bool:
    """The text whole inside the field's text area (a placeholder is never cut with …)."""
    option = QStyleOptionFrame()
    field.initStyleOption(option)
    area = field.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, field)
    return field.fontMetrics().horizontalAdvance(text) <= area.width() - 4  # Qt's margins


@pytest.mark.usefixtures("russian", "till_style")
def test_the_russian_shift_window_shows_its_cash_hints_whole_at_1366x768(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    window = checkout.window()
    assert isinstance(window, MainWindow)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.size() == QSize(1366, 768))
    press(checkout.scan_bar.field, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: window.shift is not None and window.shift.loaded)
    dialog = window.shift
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    shown = dialog.cash.placeholderText()
    assert shown == "Смену закрывает старший кассир или менеджер"
    every = [
        shown,
        QCoreApplication.translate("ShiftDialog", "Cash counted in the drawer; F12 closes"),
        QCoreApplication.translate("ShiftDialog", "Cash put in the drawer to start; Enter opens"),
    ]
    assert all(CYRILLIC.search(text) for text in every)
    assert [text for text in every if not _fits(dialog.cash, text)] == []
    press(dialog.cash, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.shift is None)


@pytest.mark.usefixtures("russian", "till_style")
def test_the_russian_no_customer_hint_is_shown_whole_after_a_sale_at_1366x768(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    window = checkout.window()
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.size() == QSize(1366, 768))
    scan(qtbot, checkout, BEANS)
    wait_quote(qtbot, checkout)
    pay_at_till(qtbot, checkout)
    qtbot.waitUntil(checkout.summary.isVisible)
    panel = checkout.customer_panel
    hint = panel.contact
    assert panel.name.text() == "Покупатель не выбран"
    assert hint.text() == "Отсканируйте карту или введите телефон."
    qtbot.waitUntil(lambda: hint.height() >= hint.heightForWidth(hint.width()))  # not clipped
    assert hint.fontMetrics().horizontalAdvance(hint.text()) <= hint.contentsRect().width()
    # one line: the whole hint is in view, nothing of it under the next panel
    top = hint.mapTo(panel, QPoint(0, 0)).y()
    assert top + hint.height() <= panel.height()
