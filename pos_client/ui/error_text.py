"""Domain refusals in the cashier's language: a stable code maps to translated text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from loyalty_core.errors import DomainError


def _t(text: str) -> str:
    return QCoreApplication.translate("Errors", text)


def _templates() -> dict[str, str]:
    # Each literal is written out here so pyside6-lupdate can collect it.
    return {
        "phone.invalid": _t("'{text}' is not a valid phone number."),
        "phone.empty": _t("Enter a phone number."),
        "card.invalid": _t("'{text}' is not a loyalty card number: check the digits or scan again."),
        "card.forged": _t("Card {masked} was not issued by this loyalty program."),
        "card.unknown": _t("Card {masked} is not registered."),
        "card.inactive": _t("Card {masked} is {status} and cannot be used."),
        "customer.consent_required": _t(
            "The customer must consent to personal-data processing before registration."
        ),
        "customer.phone_taken": _t("Phone {masked} already belongs to a registered customer."),
        "customer.invalid_email": _t("'{text}' is not an e-mail address."),
        "customer.invalid_birthday": _t("Birthday {value} is not plausible."),
        "customer.not_found": _t("No customer with phone {masked}."),
        "staff.pin_format": _t("A PIN is 4 to 8 digits."),
        "staff.wrong_pin": _t("Wrong PIN. {left} attempts left."),
        "staff.locked": _t("Too many wrong PINs: locked until {until}."),
        "staff.unknown": _t("This staff member is not known at this till."),
        "money.invalid_amount": _t("'{text}' is not an amount of money."),
        "product.unknown": _t("No product with barcode {barcode}."),
        "cart.empty": _t("The cart is empty."),
    }


def describe(exc: BaseException) -> str:
    """Text for the cashier: translated when the code is known, English otherwise."""
    if isinstance(exc, DomainError):
        template = _templates().get(exc.code)
        if template is None:
            return exc.message
        return _format(template, exc.params)
    return _t("Something went wrong: {error}").format(error=type(exc).__name__)


def _format(template: str, params: dict[str, Any]) -> str:
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
