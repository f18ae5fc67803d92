"""Screenshots of the till's main screens, in Russian and in English, for the README.

    python3 dev.py screenshots            (runs this under xvfb-run at 1366×768)
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/take.py

Each language runs in a child process of its own (Qt's translators are per application):
a till on a temporary data directory, seeded with the demo store and a morning of sales
(offline: no sync server), its window on the real ``xcb`` platform so fonts and styles are
what a cashier sees. The script drives it with key events and the widget APIs the UI tests
use, and grabs the whole screen (dialogs included) into ``docs/screenshots/<lang>/*.png``.
Every wait is bounded; a screen that does not come up fails the run with its name.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

# Qt is imported here but started in the child, after QT_QPA_PLATFORM is set.
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from loyalty_core.rules import default_rules
from loyalty_core.survey import Reason
from pos_client.bootstrap import Till, bootstrap
from pos_client.config import load_settings
from pos_client.services.demo_store import demo_data, demo_phone, seed_demo_store
from pos_client.services.enrollment import default_till_name
from pos_client.services.messages import CartItem, CheckoutRequest
from pos_client.tasks import TaskManager
from pos_client.ui.app import application, apply_style, delete_now, install_translations
from pos_client.ui.main_window import MainWindow
from pos_client.ui.message_bar import Kind
from pos_client.ui.ports import TillIdentity

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "ru")
SCREEN_SIZE = (1366, 768)
WAIT_S = 20.0  # the longest any one screen may take to come up
CHILD_TIMEOUT_S = 300.0  # one language, start to finish
SETTLE_MS = 400  # after the last change: painted, and the caret's blink is no longer news

# The demo store's barcodes (resources/demo/store.json).
MILK = "4600000000015"
CROISSANT = "4600000000084"
GROUND_COFFEE = "4600000000107"
CAPPUCCINO = "4600000000114"
LATTE = "4600000000121"
AMERICANO = "4600000000138"
CHOCOLATE = "4600000000190"
JUICE = "4600000000220"
BREAD = "4600000000060"
CUSTOMER = 0  # demo customer No. 0: Иван Алексеев, Gold, with a bonus balance (README)
SENIOR, SENIOR_PIN = "Олег Петров", "2222"  # sees the whole shift window (closes shifts)
NEW_CUSTOMER = ("+7 916 555-20-31", "Ольга Белова", "14.08.1991", "o.belova@example.ru")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screenshots of the till's main screens.")
    parser.add_argument("--language", choices=[*LANGUAGES, "all"], default="all")
    parser.add_argument("--out", type=Path, default=HERE, help="default: docs/screenshots")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY"):
        print(
            "No X display: run it as `python3 dev.py screenshots` (Xvfb), or under\n"
            '    xvfb-run -a -s "-screen 0 1366x768x24" ' + " ".join(sys.argv),
            file=sys.stderr,
        )
        return 2
    if args.language != "all":
        return take_language(args.language, args.out)
    failed = [lang for lang in LANGUAGES if not run_child(lang, args.out)]
    if failed:
        print("FAILED: " + ", ".join(failed), file=sys.stderr)
        return 1
    print(f"Screenshots written to {args.out}/{{{','.join(LANGUAGES)}}}/.")
    return 0


def run_child(language: str, out: Path) -> bool:
    """One language in a process of its own, bounded in time."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOYALTY_TILL_")}
    env["QT_QPA_PLATFORM"] = "xcb"  # a real window, not offscreen
    env["TZ"] = default_rules().timezone  # the till's clock in the store's zone, as in the store
    cmd = [sys.executable, str(Path(__file__).resolve()), "--language", language, "--out", out]
    print(f"[{language}] taking screenshots ...", flush=True)
    try:
        code = subprocess.call([str(c) for c in cmd], env=env, timeout=CHILD_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        print(f"[{language}] took longer than {CHILD_TIMEOUT_S:g} s: stopped", file=sys.stderr)
        return False
    if code != 0:
        print(f"[{language}] failed (exit {code})", file=sys.stderr)
    return code == 0


# -- one language --------------------------------------------------------------------------


def take_language(language: str, out: Path) -> int:
    """Build a demo till on a temporary data directory, show it, take every screen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    with tempfile.TemporaryDirectory(prefix="till-screenshots-") as folder:
        # Nobody's till.toml or LOYALTY_TILL_* variables change what the pictures show.
        for name in [k for k in os.environ if k.startswith("LOYALTY_TILL_")]:
            del os.environ[name]
        os.environ["LOYALTY_TILL_CONFIG"] = str(Path(folder) / "no-such-till.toml")
        settings = load_settings(data_dir=Path(folder), language=language, idle_lock_minutes=0)
        till = bootstrap(settings, logs=False)
        try:
            seed_demo_store(till.services.uows, till.engines, till.services.ctx, customers=600)
            ring_up_the_morning(till)
            app = application([sys.argv[0]])
            install_translations(app, language)
            apply_style(app)
            tasks = TaskManager()
            try:
                with shown_window(till, tasks) as window:
                    shooter = Shooter(window, tasks, out / language)
                    shooter.shoot_all()
            finally:
                tasks.shutdown()  # no worker thread outlives the till
                delete_now(tasks)
        finally:
            till.close()
    print(f"[{language}] " + " ".join(p.name for p in shooter.taken), flush=True)
    return 0


class ScreenNotShownError(RuntimeError):
    pass


@contextmanager
def shown_window(till: Till, tasks: TaskManager) -> Iterator[MainWindow]:
    """The till's window filling the screen, the customer's window beside it (off screen)."""
    # As a store's till shows it: the store's name, no demo PIN hint on the login screen.
    till_id = till.services.ctx.till_id
    identity = TillIdentity(demo_data()["store"]["name"], till_id, default_till_name(till_id))
    window = MainWindow(till.services, tasks, identity, customer_display=True)
    screen = window.screen().geometry()
    if (screen.width(), screen.height()) != SCREEN_SIZE:
        print(
            f"note: the screen is {screen.width()}×{screen.height()}, "
            f"not {SCREEN_SIZE[0]}×{SCREEN_SIZE[1]}",
            file=sys.stderr,
        )
    window.setGeometry(window.screen().availableGeometry())  # maximised, with or without a WM
    window.show()
    assert window.display is not None
    window.display.place()
    park(window.display)  # the customer's screen is another monitor: out of the way
    window.activateWindow()
    try:
        wait_until("the till's window to be active", window.isActiveWindow)
        yield window
    finally:
        wait_until("the background work to finish", lambda: not tasks.busy)
        window.close()  # closeEvent stops the timers and the status bar's refreshes
        delete_now(window)


def park(widget: QWidget) -> None:
    """Move a window off the (single) screen: the customer's display is another monitor."""
    widget.move(widget.screen().geometry().right() + 100, 0)


class Shooter:
    """The screens to grab, in a cashier's order: each leaves the till ready for the next."""

    def __init__(self, window: MainWindow, tasks: TaskManager, out: Path) -> None:
        self.window, self.tasks, self.out = window, tasks, out
        self.taken: list[Path] = []

    # -- the screens ------------------------------------------------------------------------

    def shoot_all(self) -> None:
        self.login()
        self.checkout()
        self.payment()  # and the sale's summary after it
        self.customer_display()
        self.receipts()
        self.return_()
        self.shift()
        self.registration()

    def login(self) -> None:
        login = self.window.login
        wait_until("the staff list", lambda: login.staff.count() == 3)
        rows = [login.staff.item(i).text() for i in range(login.staff.count())]
        login.staff.setCurrentRow(next(i for i, t in enumerate(rows) if t.startswith(SENIOR)))
        QTest.keyClicks(login.pin, SENIOR_PIN)
        self.grab("login")
        key(login.pin, "Return")
        checkout = self.window.checkout
        wait_until("the checkout screen", lambda: self.window.screens.currentWidget() is checkout)
        wait_until("the staff to be logged in", lambda: checkout.session.staff is not None)

    def checkout(self) -> None:
        checkout = self.window.checkout
        session = checkout.session
        key(checkout.scan_bar.field, "F2")
        type_enter(checkout.customer_panel.field, russian_way(demo_phone(CUSTOMER)))
        wait_until("the customer to be identified", lambda: session.customer is not None)
        for code in (f"2*{CAPPUCCINO}", f"2*{CROISSANT}", GROUND_COFFEE, CHOCOLATE):
            type_enter(checkout.scan_bar.field, code)
        wait_until("four lines in the cart", lambda: len(session.cart) == 4)
        key(checkout.scan_bar.field, "F6")
        type_enter(checkout.options.promo_field, "WELCOME10")
        wait_until(
            "the promo code to apply",
            lambda: session.receipt is not None and session.receipt.promos == ("WELCOME10",),
        )
        key(checkout.scan_bar.field, "F4")  # all the bonus this check can take
        wait_until(
            "the bonus to be spent",
            lambda: session.receipt is not None and session.receipt.redeemed > 0,
        )
        self.grab("checkout")

    def payment(self) -> None:
        checkout = self.window.checkout
        key(checkout.scan_bar.field, "F12")
        wait_until("the payment dialog", lambda: checkout.payment_dialog is not None)
        dialog = checkout.payment_dialog
        assert dialog is not None
        wait_until("the payment dialog to be active", dialog.isActiveWindow)
        due = dialog.due
        handed = next(n for n in (50_000, 100_000, 200_000, 500_000) if n > due + 1_000)
        QTest.keyClicks(dialog.cash, str(handed // 100))  # a banknote, in roubles
        wait_until("the change", lambda: dialog.payment is not None)
        self.grab("payment")
        before = checkout.session.last_sale
        key(dialog.cash, "Return")
        wait_until("the sale", lambda: checkout.session.last_sale not in (None, before))
        wait_until("the payment dialog to close", lambda: checkout.payment_dialog is None)
        wait_until("the sale's summary", checkout.summary.isVisible)
        self.grab("sale-done")

    def customer_display(self) -> None:
        display = self.window.display
        assert display is not None
        survey = display.survey
        wait_until("the survey", survey.isVisible)
        display.setGeometry(display.screen().geometry())  # full screen, as on its own monitor
        display.raise_()
        button = survey.scores.button(5)
        assert button is not None
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        for reason in (Reason.POLITE, Reason.FAST):
            QTest.mouseClick(survey.reasons[reason], Qt.MouseButton.LeftButton)
        self.grab("customer-display")
        park(display)
        self.window.activateWindow()
        wait_until("the till's window to be active again", self.window.isActiveWindow)

    def receipts(self) -> None:
        window = self.window
        key(window.checkout.scan_bar.field, "F7")
        wait_until("the receipt lookup", lambda: window.receipts is not None)
        lookup = window.receipts
        assert lookup is not None
        wait_until("the receipts", lambda: len(lookup.receipts) >= 5)
        wait_until("the receipt lookup to be active", lookup.isActiveWindow)
        self.grab("receipts")

    def return_(self) -> None:
        window = self.window
        lookup = window.receipts
        assert lookup is not None
        key(lookup.search, "F6")  # the newest receipt: the sale just paid
        wait_until("the return dialog", lambda: window.returns is not None)
        dialog = window.returns
        assert dialog is not None
        wait_until("the sold lines", lambda: dialog.sale is not None)
        wait_until("the return dialog to be active", dialog.isActiveWindow)
        type_enter(dialog.quantity, "1")  # one of the two cappuccinos (the first line)
        wait_until(
            "the refund and its bonus effect",
            lambda: dialog.quote is not None or dialog.message.kind is Kind.ERROR,
        )
        if dialog.quote is None:  # grabbed all the same: the picture shows what is wrong
            print(f"WARNING: the return was not quoted: {dialog.message.text()}", file=sys.stderr)
        self.grab("return")
        key(dialog.quantity, "Escape")
        wait_until("the return dialog to close", lambda: window.returns is None)

    def shift(self) -> None:
        window = self.window
        window.activateWindow()
        wait_until("the till's window to be active again", window.isActiveWindow)
        key(window.checkout.scan_bar.field, "F10")
        wait_until("the shift window", lambda: window.shift is not None and window.shift.loaded)
        dialog = window.shift
        assert dialog is not None
        wait_until("the shift window to be active", dialog.isActiveWindow)
        self.grab("shift")
        key(dialog.cash, "Escape")
        wait_until("the shift window to close", lambda: window.shift is None)

    def registration(self) -> None:
        checkout = self.window.checkout
        phone, name, birthday, email = NEW_CUSTOMER
        self.window.activateWindow()
        wait_until("the till's window to be active again", self.window.isActiveWindow)
        type_enter(checkout.scan_bar.field, LATTE)  # the next customer, with no card yet
        key(checkout.scan_bar.field, "F2")
        type_enter(checkout.customer_panel.field, phone)
        wait_until("'no such customer'", lambda: "F3" in checkout.customer_panel.problem.text())
        key(checkout.customer_panel.field, "F3")
        wait_until("the registration dialog", lambda: checkout.register_dialog is not None)
        dialog = checkout.register_dialog
        assert dialog is not None
        wait_until("the registration dialog to be active", dialog.isActiveWindow)
        dialog.consent.setChecked(True)
        dialog.name.setText(name)  # QTest types ASCII only
        dialog.birthday.setText(birthday)
        dialog.email.setText(email)
        dialog.email.setFocus()
        self.grab("registration")
        key(dialog.email, "Escape")
        wait_until("the registration dialog to close", lambda: checkout.register_dialog is None)

    # -- grabbing -----------------------------------------------------------------------------

    def grab(self, name: str) -> None:
        wait_until("the background work to finish", lambda: not self.tasks.busy)
        QTest.qWait(SETTLE_MS)
        screen = QGuiApplication.primaryScreen()
        picture = screen.grabWindow(0)  # the whole screen: dialogs and all
        self.out.mkdir(parents=True, exist_ok=True)
        path = self.out / f"{name}.png"
        if picture.isNull() or not picture.save(str(path), "PNG"):
            raise ScreenNotShownError(f"could not grab or save {path}")
        self.taken.append(path)


# -- the shift's earlier sales: the X report and the receipt lookup have something to show ----


def ring_up_the_morning(till: Till) -> None:
    """Six sales before the first screenshot: cash and bank card, with and without a card."""
    services = till.services
    staff = next(s for s in services.staff_list() if s.name == SENIOR).id

    def item(code: str, pieces: int = 1) -> CartItem:
        product = services.product(code)
        return CartItem(
            product.barcode,
            product.name,
            product.price,
            quantity_milli=pieces * 1000,
            category=product.category or None,
        )

    sales: list[tuple[tuple[CartItem, ...], int | None, str]] = [
        ((item(AMERICANO), item(CROISSANT)), None, "cash"),
        ((item(CAPPUCCINO, 2),), 6, "card"),
        ((item(MILK), item(BREAD), item(JUICE)), 12, "cash"),
        ((item(LATTE),), None, "card"),
        ((item(GROUND_COFFEE), item(CHOCOLATE, 2)), 30, "cash"),
        ((item(AMERICANO, 3),), None, "card"),
    ]
    for items, who, paid in sales:
        customer = services.identify(demo_phone(who)).customer.id if who is not None else None
        request = CheckoutRequest(items, staff, customer_id=customer)
        if paid == "card":
            request = replace(request, card_amount=services.quote(request).to_pay)
        services.checkout(request)


# -- driving Qt -----------------------------------------------------------------------------


def wait_until(what: str, done: Callable[[], bool], timeout_s: float = WAIT_S) -> None:
    """Spin the event loop until ``done()``; past the timeout, fail naming what never came."""

    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise ScreenNotShownError(f"waited {timeout_s:g} s for {what}")
        QTest.qWait(20)


def key(widget: QWidget, name: str) -> None:
    QTest.keyClick(widget, getattr(Qt.Key, f"Key_{name}"))


def type_enter(widget: QWidget, text: str) -> None:
    """What a keyboard-wedge scanner (or a cashier) does: the characters, then Enter."""

    QTest.keyClicks(widget, text)
    key(widget, "Return")


def russian_way(e164: str) -> str:
    """``+79120012345`` -> ``8 912 001-23-45``, as a cashier types it."""
    d = e164[2:]
    return f"8 {d[:3]} {d[3:6]}-{d[6:8]}-{d[8:]}"


if __name__ == "__main__":
    sys.exit(main())
