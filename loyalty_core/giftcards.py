"""Gift cards: a balance that is a projection of load/spend/refund entries.

A card cannot be spent twice: every spend is an entry with a unique id. A till
never offers more than the balance it knows; two offline tills may still spend the
same money, and the server, folding both spends, keeps both sales (real money was
taken) and records what went beyond the balance as ``overdrawn``: a gift-card debt
shown to managers, never a negative balance.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from loyalty_core.cards import mask_card
from loyalty_core.errors import DomainError
from loyalty_core.ledger import EntryKind, LedgerEntry, ordered
from loyalty_core.rules import GiftCardPolicy

_PIN_ITERATIONS = 20_000


class GiftCardError(DomainError):
    code = "gift_card.refused"
    template = "Gift card {card} refused."


class GiftCardNotFoundError(GiftCardError):
    code = "gift_card.not_found"
    template = "No gift card {card} is known here."


class GiftCardEmptyError(GiftCardError):
    code = "gift_card.empty"
    template = "Gift card {card} has no balance left."


class WrongPinError(GiftCardError):
    code = "gift_card.wrong_pin"
    template = "Wrong PIN for gift card {card}."


class GiftCardExpiredError(GiftCardError):
    code = "gift_card.expired"
    template = "Gift card {card} expired on {date}."


class GiftCardBlockedError(GiftCardError):
    code = "gift_card.blocked"
    template = "Gift card {card} is blocked."


class GiftCardLockedError(GiftCardError):
    code = "gift_card.locked"
    template = "Gift card {card} is locked after too many wrong PINs."


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, _PIN_ITERATIONS)
    return f"pbkdf2_sha256${_PIN_ITERATIONS}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, pin_hash: str) -> bool:
    try:
        _, iterations, salt_hex, digest_hex = pin_hash.split("$")
        digest = hashlib.pbkdf2_hmac(
            "sha256", pin.encode(), bytes.fromhex(salt_hex), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


@dataclass(frozen=True, slots=True)
class GiftCard:
    """A card as registered on the server and synced to tills."""

    id: str
    number: str
    pin_hash: str
    expires_at: datetime
    blocked: bool = False

    def check_pin(self, pin: str) -> None:
        """Call once when the cashier enters the PIN; pricing trusts it afterwards."""
        if not pin_matches(pin, self.pin_hash):
            raise WrongPinError(card=mask_card(self.number))


def verify_pin(card: GiftCard, pin: str, *, failed_attempts: int, policy: GiftCardPolicy) -> None:
    """Check a PIN the cashier typed; the caller counts failures (and resets them on success).

    After ``policy.max_pin_attempts`` failures the card is locked until staff unlock it.
    """
    if failed_attempts >= policy.max_pin_attempts:
        raise GiftCardLockedError(card=mask_card(card.number))
    card.check_pin(pin)


@dataclass(slots=True)
class GiftCardState:
    card: GiftCard
    balance: int = 0
    loaded: int = 0
    spent: int = 0
    overdrawn: int = 0  # spent beyond the balance (two offline tills): a gift-card debt
    # Refunded beyond what was spent (one receipt returned at two offline tills): the card
    # gets back at most what it spent; the rest was refunded twice and is settled apart.
    refunded_twice: int = 0
    _seen: set[str] = field(default_factory=set)

    def usable(self, now: datetime, zone: tzinfo = UTC) -> GiftCardError | None:
        """Why the card cannot pay now, if it cannot; dates are days in ``zone`` (the store's)."""
        label = mask_card(self.card.number)
        if self.card.blocked:
            return GiftCardBlockedError(card=label)
        if now >= self.card.expires_at:
            day = self.card.expires_at.astimezone(zone).date()
            return GiftCardExpiredError(card=label, date=day.isoformat())
        return None

    def apply(self, entry: LedgerEntry) -> None:
        if entry.gift_card_id != self.card.id or entry.id in self._seen:
            return
        if entry.kind is EntryKind.GIFT_CARD_SPEND:
            covered = min(entry.amount, self.balance)
            self.overdrawn += entry.amount - covered
            self.balance -= covered
            self.spent += entry.amount
        elif entry.kind is EntryKind.GIFT_CARD_LOAD:
            self.balance += entry.amount
            self.loaded += entry.amount
        elif entry.kind is EntryKind.GIFT_CARD_REFUND:
            back = min(entry.amount, self.spent)
            self.refunded_twice += entry.amount - back
            self.balance += back
            self.spent -= back
        else:
            return
        self._seen.add(entry.id)


def project_gift_card(card: GiftCard, entries: list[LedgerEntry]) -> GiftCardState:
    state = GiftCardState(card)
    for entry in ordered(e for e in entries if e.gift_card_id == card.id):
        state.apply(entry)
    return state


@dataclass(frozen=True, slots=True)
class GiftCardPayment:
    """A gift card offered at checkout (PIN already checked) and how much to take."""

    state: GiftCardState
    amount: int | None = None  # None: as much as the check and the balance allow


def load_entry(
    card: GiftCard,
    *,
    entry_id: str,
    amount: int,
    now: datetime,
    till_id: str,
    rules_version: int,
    sale_id: str | None = None,
) -> LedgerEntry:
    """The entry that puts money on a card (sold as a gift card line)."""
    return LedgerEntry(
        id=entry_id,
        kind=EntryKind.GIFT_CARD_LOAD,
        occurred_at=now,
        till_id=till_id,
        rules_version=rules_version,
        amount=amount,
        gift_card_id=card.id,
        sale_id=sale_id,
    )
