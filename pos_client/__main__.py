"""``pos-client``: the till. Settings in, window up, and an orderly shutdown on exit.

``run_till(settings)`` is also what ``pos-admin demo`` calls. ``TillBridge`` is
the one place the Qt screens meet ``TillServices``: the UI package may not import
the service layer (it pulls in the database adapters), so it describes what it
needs as ``pos_client.ui.ports.TillPort`` and this composition root implements it.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QTimer

from loyalty_core.catalog import Product
from loyalty_core.receipt import PricedReceipt
from loyalty_core.rules import LoyaltyRules
from loyalty_core.staff import Role
from pos_client.bootstrap import Till, bootstrap
from pos_client.config import InvalidSettings, TillMode, TillSettings, load_settings
from pos_client.services.checkout import CartItem, CheckoutRequest, CompletedSale
from pos_client.services.customers import CustomerSnapshot, RegisterCustomer
from pos_client.services.demo_store import demo_data
from pos_client.services.facade import TillServices
from pos_client.services.staff import StaffBadge
from pos_client.tasks import TaskManager
from pos_client.ui.app import application, apply_style, install_translations
from pos_client.ui.main_window import MainWindow
from pos_client.ui.ports import CartDraft, NewCustomer, TillIdentity

EXIT_BAD_SETTINGS = 2


class TillBridge:
    """``TillPort`` over ``TillServices``: the screens' drafts become service commands."""

    def __init__(self, services: TillServices) -> None:
        self.services = services

    def staff_list(self) -> Sequence[StaffBadge]:
        return self.services.staff_list()

    def log_in(self, staff_id: str, pin: str) -> StaffBadge:
        return self.services.log_in(staff_id, pin)

    def identify(self, text: str) -> CustomerSnapshot:
        return self.services.identify(text)

    def register(self, new: NewCustomer) -> CustomerSnapshot:
        return self.services.register_customer(
            RegisterCustomer(
                phone=new.phone,
                consent=new.consent,
                staff_id=new.staff_id,
                questionnaire=new.questionnaire,
            )
        )

    def product(self, barcode: str) -> Product:
        return self.services.product(barcode)

    def quote(self, cart: CartDraft) -> PricedReceipt:
        return self.services.quote(checkout_request(cart))

    def pay(self, cart: CartDraft, expected_to_pay: int) -> CompletedSale:
        return self.services.checkout(checkout_request(cart, expected_to_pay))

    def rules(self) -> LoyaltyRules:
        return self.services.rules()

    def outbox_counts(self) -> Mapping[str, int]:
        return self.services.outbox_counts()


def checkout_request(cart: CartDraft, expected_to_pay: int | None = None) -> CheckoutRequest:
    return CheckoutRequest(
        items=tuple(
            CartItem(
                sku=line.sku,
                name=line.name,
                unit_price=line.unit_price,
                quantity_milli=line.quantity_milli,
                category=line.category,
            )
            for line in cart.lines
        ),
        staff_id=cart.staff_id,
        customer_id=cart.customer_id,
        card_number=cart.card_number,
        redeem=cart.redeem,
        promo_codes=cart.promo_codes,
        expected_to_pay=expected_to_pay,
    )


def till_identity(till: Till) -> TillIdentity:
    """The store name for the title bar; in demo mode also the staff PINs for the login screen."""
    till_id = till.services.ctx.till_id
    if till.settings.mode is not TillMode.DEMO:
        return TillIdentity(QCoreApplication.translate("Main", "Loyalty till"), till_id)
    data = demo_data()
    pins = tuple((p["name"], Role(p["role"]), p["pin"]) for p in data["staff"])
    return TillIdentity(data["store"]["name"], till_id, pins)


def run_till(settings: TillSettings) -> int:
    """Bootstrap, show the window, run the event loop; then stop the workers and close the till."""
    till = bootstrap(settings)
    tasks: TaskManager | None = None
    try:
        app = application([sys.argv[0]])
        install_translations(app, settings.language)
        apply_style(app)
        tasks = TaskManager()
        window = MainWindow(TillBridge(till.services), tasks, till_identity(till))
        window.resize(1280, 800)
        window.show()
        code = _exec_with_ctrl_c(app)
        window.status.stop()
        return code
    finally:
        if tasks is not None:
            tasks.shutdown(wait=True)  # worker threads must end before their engine closes
        till.close()


def _exec_with_ctrl_c(app: QCoreApplication) -> int:
    """Run the event loop; Ctrl+C in the terminal quits it like closing the window."""
    previous = signal.signal(signal.SIGINT, lambda *_: app.quit())
    wake = QTimer()  # lets the interpreter run its signal handlers while Qt waits
    wake.timeout.connect(lambda: None)
    wake.start(250)
    try:
        return app.exec()
    finally:
        wake.stop()
        signal.signal(signal.SIGINT, previous)
        # quit() may leave a Quit event queued; it would end the next event loop at once.
        QCoreApplication.removePostedEvents(app, QEvent.Type.Quit)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="pos-client", description="The loyalty till.")
    parser.add_argument("--data-dir", help="where the till keeps its database and logs")
    parser.add_argument("--language", help="screen language: ru or en")
    parser.add_argument("--server-url", help="the sync server, e.g. http://127.0.0.1:8765")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    overrides: dict[str, Any] = {
        name: value
        for name, value in (
            ("data_dir", args.data_dir),
            ("language", args.language),
            ("server_url", args.server_url),
        )
        if value is not None
    }
    try:
        settings = load_settings(**overrides)
    except InvalidSettings as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_BAD_SETTINGS
    return run_till(settings)


if __name__ == "__main__":
    sys.exit(main())
