"""Phone numbers typed in any common format, normalised to E.164 with ``phonenumbers``."""

from __future__ import annotations

import phonenumbers

from loyalty_core.errors import DomainError

DEFAULT_REGION = "RU"


class InvalidPhoneNumberError(DomainError):
    code = "phone.invalid"
    template = "'{text}' is not a valid phone number."


class EmptyPhoneNumberError(InvalidPhoneNumberError):
    code = "phone.empty"
    template = "Enter a phone number."


class UnknownRegionError(DomainError):
    code = "phone.unknown_region"
    template = "'{region}' is not a known country code for phone numbers."


def check_region(region: str) -> str:
    region = region.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise UnknownRegionError(region=region)
    return region


def normalize_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """Return the E.164 form (``+79123456789``) or raise ``InvalidPhoneNumberError``.

    Accepts ``8 (912) 345-67-89``, ``+7 912 345 67 89``, ``912 345-67-89`` with the
    default region RU, ``+44 20 7946 0958`` and the like. Numbers that
    ``phonenumbers`` does not consider valid for their region are refused.
    """
    stripped = text.strip()
    if not stripped:
        raise EmptyPhoneNumberError(text=text)
    try:
        parsed = phonenumbers.parse(stripped, region)
    except phonenumbers.NumberParseException:
        raise InvalidPhoneNumberError(text=text) from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumberError(text=text)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """A phone safe for logs: ``+79123456789`` -> ``+7912***6789``."""
    if len(e164) <= 8:
        return "*" * len(e164)
    return e164[:5] + "*" * (len(e164) - 9) + e164[-4:]


def display_phone(e164: str) -> str:
    """International format for screens and receipts: ``+7 912 345-67-89``."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_search_digits(text: str) -> str:
    """The digits a cashier typed for a partial phone search ("45-67" -> "4567")."""
    return "".join(ch for ch in text if ch.isdigit())
