"""Domain refusals in the cashier's language: a stable code maps to translated text."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication

from loyalty_core.errors import DomainError
from pos_client.ui.formatting import Formats

translate = QCoreApplication.translate
log = logging.getLogger(__name__)

# Params that hold money in minor units, per code (other params are shown as they are).
_MONEY_PARAMS: dict[str, frozenset[str]] = {
    "checkout.price_changed": frozenset({"total"}),
    "payment.card_above_total": frozenset({"card", "to_pay"}),
    "payment.cash_short": frozenset({"short", "due", "tendered"}),
    "return.needs_manager": frozenset({"refund", "limit"}),
    "discount.invalid": frozenset({"gross"}),
}


def error_templates() -> dict[str, str]:
    """Every code a cashier can meet; each literal is written out for pyside6-lupdate."""
    return {
        "phone.invalid": translate("Errors", "'{text}' is not a valid phone number."),
        "phone.empty": translate("Errors", "Enter a phone number."),
        "phone.unknown_region": translate(
            "Errors", "'{region}' is not a known country code for phone numbers."
        ),
        "card.invalid": translate(
            "Errors", "'{text}' is not a loyalty card number: check the digits or scan again."
        ),
        "card.forged": translate("Errors", "Card {masked} was not issued by this loyalty program."),
        "card.unknown": translate("Errors", "Card {masked} is not registered."),
        "card.inactive": translate("Errors", "Card {masked} is {status} and cannot be used."),
        "customer.consent_required": translate(
            "Errors",
            "The customer must consent to personal-data processing before registration.",
        ),
        "customer.phone_taken": translate(
            "Errors", "Phone {masked} already belongs to a registered customer."
        ),
        "customer.invalid_email": translate("Errors", "'{text}' is not an e-mail address."),
        "customer.invalid_birthday": translate("Errors", "Birthday {value} is not plausible."),
        "customer.not_found": translate("Errors", "No customer with phone {masked}."),
        "staff.pin_format": translate("Errors", "A PIN is 4 to 8 digits."),
        "staff.wrong_pin": translate("Errors", "Wrong PIN. {left} attempts left."),
        "staff.locked": translate("Errors", "Too many wrong PINs: locked until {until}."),
        "staff.unknown": translate("Errors", "This staff member is not known at this till."),
        "money.invalid_amount": translate("Errors", "'{text}' is not an amount of money."),
        "product.unknown": translate("Errors", "No product with barcode {barcode}."),
        "cart.empty": translate("Errors", "The cart is empty."),
        "checkout.price_changed": translate(
            "Errors", "The total changed to {total} while paying; check the receipt again."
        ),
        "payment.negative": translate("Errors", "An amount paid cannot be below zero."),
        "payment.card_above_total": translate(
            "Errors", "The card cannot pay {card}: only {to_pay} is due."
        ),
        "payment.cash_short": translate(
            "Errors", "{short} more is needed: {due} is due in cash, {tendered} was given."
        ),
        "payment.cash_not_needed": translate(
            "Errors", "Nothing is left to pay in cash; clear the cash amount."
        ),
        "payment.mismatch": translate(
            "Errors", "The payment does not settle the check: {problem}."
        ),
        "receipts.bad_day": translate("Errors", "{text} is not a day: type it as dd.mm.yyyy."),
        "checkout.customer_unknown": translate(
            "Errors", "The customer of this sale is not known at this till."
        ),
        "rules.missing": translate(
            "Errors", "This till has no loyalty rules yet: connect it to the server once."
        ),
        "rules.invalid": translate("Errors", "Loyalty rules refused: {field}: {problem}"),
        "settings.invalid": translate("Errors", "Invalid till settings ({source}):\n{problems}"),
        "gift_card.refused": translate("Errors", "Gift card {card} refused."),
        "gift_card.wrong_pin": translate("Errors", "Wrong PIN for gift card {card}."),
        "gift_card.expired": translate("Errors", "Gift card {card} expired on {date}."),
        "gift_card.blocked": translate("Errors", "Gift card {card} is blocked."),
        "gift_card.not_found": translate("Errors", "No gift card {card} is known here."),
        "gift_card.empty": translate("Errors", "Gift card {card} has no balance left."),
        "gift_card.locked": translate(
            "Errors", "Gift card {card} is locked after too many wrong PINs."
        ),
        "discount.invalid": translate(
            "Errors", "A discount on {name} must be above zero and at most {gross}."
        ),
        "discount.needs_manager": translate("Errors", "A manual discount needs a manager's PIN."),
        "discount.not_manager": translate("Errors", "Only a manager can allow a manual discount."),
        "discount.reason_missing": translate(
            "Errors", "Say why the manager allows this discount: the audit log keeps the reason."
        ),
        "return.refused": translate("Errors", "Return refused."),
        "return.window_closed": translate(
            "Errors",
            "Receipt {sale_id} is older than {days} days: a manager must approve this return.",
        ),
        "return.unknown_line": translate("Errors", "Line {line_id} is not on receipt {sale_id}."),
        "return.too_many": translate(
            "Errors",
            "Line {line_id}: {asked} asked back, only {left} left to return (thousandths).",
        ),
        "return.wallet_missing": translate(
            "Errors", "The customer's bonus wallet is needed to return receipt {sale_id}."
        ),
        "return.sale_not_found": translate(
            "Errors", "No sale with receipt number {number} on this till."
        ),
        "return.approval_not_manager": translate(
            "Errors", "Only a manager can approve a late return."
        ),
        "return.approval_reason_missing": translate(
            "Errors", "Say why the manager allows this return: the audit log keeps the reason."
        ),
        "return.needs_manager": translate(
            "Errors", "A refund of {refund} is above this till's limit of {limit}: a manager's PIN."
        ),
        "payment.card_declined": translate("Errors", "The bank card was declined: {reason}."),
        "survey.link_invalid": translate("Errors", "This survey link is not valid."),
        "survey.link_expired": translate("Errors", "This survey link expired on {date}."),
        "survey.already_voted": translate("Errors", "Receipt No. {number} has already been rated."),
        "survey.bad_score": translate("Errors", "A rating is 1 to 5, not {score}."),
        "survey.bad_reasons": translate(
            "Errors", "Reasons must be up to {most} of the known ones, each once: {problem}."
        ),
        "survey.not_a_sale": translate("Errors", "Only a sale of this till can be rated."),
        "shift.already_open": translate(
            "Errors", "Shift No. {number} is already open at this till."
        ),
        "shift.close_not_allowed": translate(
            "Errors", "Only a senior cashier or a manager closes the shift."
        ),
        "shift.not_open": translate("Errors", "No shift is open at this till: F10 opens one."),
        "shift.negative_cash": translate("Errors", "An amount of cash cannot be below zero."),
        "shift.mismatch": translate("Errors", "The shift's report does not add up: {problem}."),
        "payment.refund_mismatch": translate(
            "Errors", "The refund does not go back the way the sale was paid: {problem}."
        ),
        "adjustment.refused": translate(
            "Errors", "An adjustment needs a non-zero amount, a reason and an author."
        ),
        "server.unavailable": translate(
            "Errors",
            "The server at {url} did not answer properly ({reason}). "
            "Check the address and the network, then try again.",
        ),
        "server.url_invalid": translate(
            "Errors", "'{url}' is not a server address; it looks like https://loyalty.example.com"
        ),
        "server.refused": translate("Errors", "The server refused: {message}"),
        "sync.not_enrolled": translate(
            "Errors",
            "This till is not enrolled with a server yet: run pos-admin enroll first.",
        ),
        "print.nothing_to_reprint": translate(
            "Errors", "No receipt has been printed at this till yet."
        ),
        "print.unknown_receipt": translate("Errors", "No sale or return {sale_id} at this till."),
        "print.no_printer": translate("Errors", "No receipt printer is set up at this till."),
        "devices.refused": translate("Errors", "The device settings were not saved."),
        "devices.invalid_printer": translate(
            "Errors", "The printer address {url} cannot work: {problem}. Nothing was saved."
        ),
        "devices.invalid_scanner": translate(
            "Errors", "The scanner port {port} cannot work: {problem}. Nothing was saved."
        ),
        "devices.out_of_range": translate(
            "Errors", "{setting} must be from {low} to {high}, not {value}. Nothing was saved."
        ),
        "devices.unsupported": translate(
            "Errors", "This version of the till has no setting {setting}. Nothing was saved."
        ),
        "devices.settings_invalid": translate(
            "Errors", "With these values the till would not start:\n{problems}\nNothing was saved."
        ),
        "devices.config_unreadable": translate(
            "Errors", "The settings file {path} cannot be read ({problem}); fix it first."
        ),
        "devices.config_unwritable": translate(
            "Errors", "The settings file {path} cannot be written ({problem}). Nothing was saved."
        ),
        "sync.stale_page": translate(
            "Errors",
            "A pulled page starts at {page_cursor}, but this till's copy ends at {cursor};"
            " nothing was applied, the next pull starts from {cursor}.",
        ),
        "event.unknown_kind": translate("Errors", "Unknown event kind '{kind}'."),
        "event.unsupported_version": translate(
            "Errors", "Event kind {kind} has no schema version {version} (known: {known})."
        ),
        "event.invalid": translate("Errors", "Event {kind} v{version} is malformed: {problems}"),
        "server.enrollment_refused": translate(
            "Errors", "The server refused to enroll this till: {message}"
        ),
        "server.credential_refused": translate(
            "Errors",
            "The server no longer accepts this till's credential; enroll it again. ({message})",
        ),
        "ledger.invalid_entry": translate("Errors", "Ledger entry {entry_id} refused: {problem}"),
        "ledger.conflicting_entry": translate(
            "Errors", "Two different entries share the id {entry_id}."
        ),
        "ledger.out_of_order": translate(
            "Errors", "Entry {entry_id} is older than the wallet; project the ledger again."
        ),
        "ledger.unknown_lot": translate(
            "Errors",
            "Entry {entry_id} refers to lot {lot_id}, which this customer does not have.",
        ),
    }


def describe(exc: BaseException, formats: Formats | None = None) -> str:
    """Text for the cashier: translated when the code is known, English otherwise."""
    if isinstance(exc, DomainError):
        template = error_templates().get(exc.code)
        if template is None:
            return exc.message
        return _format(template, _shown_params(exc, formats or Formats()))
    log.error("unexpected failure shown to the cashier", exc_info=exc)
    return translate("Errors", "Something went wrong: {error}").format(error=type(exc).__name__)


def card_status_text(status: str) -> str:
    names = {
        "active": translate("Errors", "active"),
        "replaced": translate("Errors", "replaced by a new card"),
        "blocked": translate("Errors", "blocked"),
    }
    return names.get(status, status)


def _shown_params(exc: DomainError, formats: Formats) -> dict[str, Any]:
    money = _MONEY_PARAMS.get(exc.code, frozenset())
    shown = {
        name: formats.money(value) if name in money and isinstance(value, int) else value
        for name, value in exc.params.items()
    }
    if exc.code == "card.inactive" and isinstance(shown.get("status"), str):
        shown["status"] = card_status_text(shown["status"])
    return shown


def _format(template: str, params: dict[str, Any]) -> str:
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
