"""The pricing engine's notes in the cashier's language, translated by their stable code.

``loyalty_core.notes`` keeps English defaults; here each code gets a translatable
template and each param is formatted by its kind: money with the currency symbol,
points without it, ISO dates as ``dd.mm``, basis points as a percentage.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from loyalty_core.notes import Note, ParamValue
from pos_client.ui.formatting import Formats, percent, tier_name

translate = QCoreApplication.translate

MONEY_PARAMS = frozenset({"amount", "missing", "min_check", "left", "balance"})
COUNT_PARAMS = frozenset({"uses"})
DATE_PARAMS = frozenset({"until", "expires", "date"})


def note_templates() -> dict[str, str]:
    """Every note code the engine emits; each literal is written out for pyside6-lupdate."""
    return {
        "tier.discount": translate("Notes", "{tier} discount {discount_bp}: -{amount}"),
        "tier.next": translate("Notes", "Spend {missing} more to reach {tier}"),
        "redeem.no_customer": translate("Notes", "Identify the customer to spend bonus"),
        "redeem.min_check": translate("Notes", "Bonus can be spent on checks from {min_check}"),
        "redeem.nothing_eligible": translate(
            "Notes", "No item in this check can be paid with bonus"
        ),
        "redeem.insufficient": translate(
            "Notes", "Only {available} bonus available, {requested} asked"
        ),
        "redeem.cap_reached": translate("Notes", "Bonus capped at {cap_bp} of the check: {cap}"),
        "redeem.whole_units": translate("Notes", "Bonus spent in whole units only: {points}"),
        "redeem.debt": translate("Notes", "Customer owes {debt} bonus from earlier returns"),
        "redeem.applied": translate("Notes", "Paid with bonus: {points}"),
        "redeem.offline_limit": translate(
            "Notes", "Offline: at most {limit} bonus can be spent at this till"
        ),
        "redeem.online_only": translate(
            "Notes",
            "Bonus is spent only with the server's confirmation: it cannot be reached now",
        ),
        "redeem.server_balance": translate(
            "Notes", "The server confirms at most {limit} bonus to spend"
        ),
        "accrual.pending": translate("Notes", "+{points} bonus pending until {until}"),
        "accrual.excluded": translate("Notes", "{name}: earns no bonus"),
        "accrual.first_purchase": translate(
            "Notes", "First purchase: +{points} extra bonus, until {expires}"
        ),
        "bonus.birthday": translate("Notes", "Happy birthday: +{points} bonus, until {expires}"),
        "bonus.referral": translate(
            "Notes", "Referral bonus: +{points} to the customer who invited this one"
        ),
        "bonus.referred": translate(
            "Notes", "Invited customer's first purchase: +{points} bonus, pending until {until}"
        ),
        "balance.expiring": translate("Notes", "{points} bonus expires on {date}"),
        "return.debt": translate(
            "Notes", "The customer had already spent {debt} of this bonus: recorded as debt"
        ),
        "return.already_returned": translate(
            "Notes",
            "This receipt was already returned: {restored} of {restore_asked} bonus restored, "
            "{reversed} of {reversal_asked} taken back",
        ),
        "promo.applied": translate("Notes", "Promo {promo}: -{amount}"),
        "promo.unknown": translate("Notes", "Promo code {promo} does not exist"),
        "promo.not_yet_valid": translate("Notes", "Promo {promo} starts on {date}"),
        "promo.expired": translate("Notes", "Promo {promo} expired on {date}"),
        "promo.used_up": translate("Notes", "Promo {promo} has been used up"),
        "promo.customer_limit": translate(
            "Notes", "Promo {promo} already used {uses} times by this customer"
        ),
        "promo.no_customer": translate("Notes", "Identify the customer to use promo {promo}"),
        "promo.min_check": translate("Notes", "Promo {promo} needs a check from {min_check}"),
        "promo.not_applicable": translate("Notes", "Promo {promo} applies to none of these items"),
        "promo.duplicate": translate("Notes", "Promo {promo} is already applied"),
        "gift_card.applied": translate("Notes", "Gift card {card}: -{amount}, {left} left"),
        "gift_card.expired": translate("Notes", "Gift card {card} expired on {date}"),
        "gift_card.empty": translate("Notes", "Gift card {card} has no balance left"),
        "gift_card.wrong_pin": translate("Notes", "Wrong PIN for gift card {card}"),
        "gift_card.locked": translate(
            "Notes", "Gift card {card} is locked after too many wrong PINs"
        ),
        "gift_card.insufficient": translate("Notes", "Gift card {card} holds only {balance}"),
        "gift_card.blocked": translate("Notes", "Gift card {card} is blocked"),
    }


def note_text(note: Note, formats: Formats, templates: dict[str, str] | None = None) -> str:
    """One note as the cashier reads it; an unknown code falls back to the English default."""
    template = (templates or note_templates()).get(note.code)
    if template is None:
        return note.render(formats.currency)
    shown = {name: _param(name, value, formats) for name, value in note.params.items()}
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError):
        return note.render(formats.currency)


def notes_text(notes: tuple[Note, ...], formats: Formats) -> list[str]:
    templates = note_templates()
    return [note_text(n, formats, templates) for n in notes if n.code]


def _param(name: str, value: ParamValue, formats: Formats) -> str:
    if isinstance(value, str):
        if name in DATE_PARAMS:
            try:
                return formats.day(date.fromisoformat(value))
            except ValueError:
                return value
        if name == "tier":
            return tier_name(value)
        return value
    if name.endswith("_bp"):
        return percent(value)
    if name in COUNT_PARAMS:
        return str(value)
    if name in MONEY_PARAMS:
        return formats.money(value)
    return formats.points(value)
