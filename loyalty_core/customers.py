"""Customers, their consent to personal-data processing, and their loyalty cards."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from loyalty_core.cards import mask_card
from loyalty_core.errors import DomainError

# The consent text a customer agrees to is versioned; the version is stored with the consent.
CONSENT_TEXT_VERSION = "pd-consent-2026-01"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ConsentRequiredError(DomainError):
    code = "customer.consent_required"
    template = "The customer must consent to personal-data processing before registration."


class PhoneAlreadyRegisteredError(DomainError):
    code = "customer.phone_taken"
    template = "Phone {masked} already belongs to a registered customer."


class InvalidEmailError(DomainError):
    code = "customer.invalid_email"
    template = "'{text}' is not an e-mail address."


class InvalidBirthdayError(DomainError):
    code = "customer.invalid_birthday"
    template = "Birthday {value} is not plausible."


class UnknownCardError(DomainError):
    code = "card.unknown"
    template = "Card {masked} is not registered."


class CardNotActiveError(DomainError):
    code = "card.inactive"
    template = "Card {masked} is {status} and cannot be used."


class CustomerNotFoundError(DomainError):
    code = "customer.not_found"
    template = "No customer with phone {masked}."


class CardStatus(StrEnum):
    ACTIVE = "active"
    REPLACED = "replaced"  # reissued after a loss: the old number stops working
    BLOCKED = "blocked"


@dataclass(frozen=True, slots=True)
class Consent:
    given_at: datetime
    text_version: str = CONSENT_TEXT_VERSION
    channel: str = "till"


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """Optional answers; filling them may earn the questionnaire bonus."""

    name: str | None = None
    birthday: date | None = None
    email: str | None = None
    heard_from: str | None = None

    def cleaned(self, today: date) -> Questionnaire:
        name = (self.name or "").strip() or None
        email = (self.email or "").strip() or None
        if email is not None and not _EMAIL.match(email):
            raise InvalidEmailError(text=email)
        if self.birthday is not None and not (
            date(today.year - 120, 1, 1) <= self.birthday <= today
        ):
            raise InvalidBirthdayError(value=self.birthday.isoformat())
        heard = (self.heard_from or "").strip() or None
        return Questionnaire(name=name, birthday=self.birthday, email=email, heard_from=heard)

    @property
    def is_complete(self) -> bool:
        return bool(self.name and self.birthday and self.email)


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    phone: str  # E.164
    created_at: datetime
    name: str | None = None
    birthday: date | None = None
    email: str | None = None
    heard_from: str | None = None
    referrer_id: str | None = None


@dataclass(frozen=True, slots=True)
class Card:
    number: str
    customer_id: str
    status: CardStatus
    issued_at: datetime
    replaced_by: str | None = None

    def ensure_usable(self) -> Card:
        if self.status is not CardStatus.ACTIVE:
            raise CardNotActiveError(masked=mask_card(self.number), status=self.status.value)
        return self


def fold_name(name: str | None) -> str | None:
    """Case- and ё-insensitive form of a name for searching."""
    if not name:
        return None
    return name.casefold().replace("ё", "е")
