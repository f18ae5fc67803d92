"""The demo store's data, the same for the server and the till: staff with known PINs, a
catalogue, and a few thousand deterministic customers (same index, same id, phone, name,
birthday and card), a third of them with some history."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from loyalty_core.cards import CardNumberCodec
from loyalty_core.giftcards import GiftCard, load_entry
from loyalty_core.giftcards import hash_pin as hash_gift_card_pin
from loyalty_core.ledger import EntryKind, LedgerEntry, derived_id

DEMO_FILE = Path(__file__).parent / "store.json"
_FEMALE_FROM = 10  # first_names[10:] are women's names
_MOBILE_CODES = ("912", "916", "926", "903")  # ranges where every number is valid
_IDS = uuid.UUID("0f6b5c4e-8d1a-4f7e-9a55-2d6c1e7b3a90")  # namespace of demo customer ids

# The demo's card secret (hex): the server's demo seed and demo tills make the same numbers.
# A till in production mode refuses it.
DEMO_CARD_SECRET = "64656d6f2d73746f72652d636172642d7365637265742d6e6f742d666f722d70726f64"

CustomerRow = tuple[str, str, str | None, date | None, str]  # id, phone, name, birthday, card

# The demo's gift card (the README names it): 3 000,00 on it, PIN 4321, valid for years.
DEMO_GIFT_CARD_NUMBER = "7700000000000017"
DEMO_GIFT_CARD_PIN = "4321"
DEMO_GIFT_CARD_BALANCE = 300_000
_GIFT_CARD_ID = str(uuid.uuid5(_IDS, "gift-card:1"))
_GIFT_CARD_SALT = bytes(16)  # fixed, so both seeds store the same hash


def demo_gift_card(now: datetime) -> GiftCard:
    return GiftCard(
        id=_GIFT_CARD_ID,
        number=DEMO_GIFT_CARD_NUMBER,
        pin_hash=hash_gift_card_pin(DEMO_GIFT_CARD_PIN, salt=_GIFT_CARD_SALT),
        expires_at=now.replace(microsecond=0) + timedelta(days=3 * 365),
    )


def demo_gift_card_load(
    card: GiftCard, now: datetime, till_id: str, rules_version: int
) -> LedgerEntry:
    """The money on the demo gift card, as one load entry with a fixed id."""
    return load_entry(
        card,
        entry_id=derived_id(card.id, "demo:load"),
        amount=DEMO_GIFT_CARD_BALANCE,
        now=now,
        till_id=till_id,
        rules_version=rules_version,
    )


def demo_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    return data


def demo_phone(index: int) -> str:
    """The ``index``-th demo customer's phone: unique for 40 million indexes."""
    code = _MOBILE_CODES[index % len(_MOBILE_CODES)]
    return f"+7{code}{(index // len(_MOBILE_CODES) * 7_919 + 12_345) % 10**7:07d}"


def demo_card(codec: CardNumberCodec, index: int) -> str:
    return codec.number_for(f"{(index * 104_729 + 1) % 10**10:010d}")


def demo_customer_id(index: int) -> str:
    """The same on every seed, so a server and a till seeded apart agree."""
    return str(uuid.uuid5(_IDS, str(index)))


def generate_customers(codec: CardNumberCodec, count: int, seed: int = 7) -> Iterator[CustomerRow]:
    data = demo_data()
    first, last = data["first_names"], data["last_names"]
    rng = random.Random(seed)
    for i in range(count):
        name = None
        birthday = None
        if rng.random() < 0.8:
            fi = rng.randrange(len(first))
            surname = rng.choice(last) + ("а" if fi >= _FEMALE_FROM else "")
            name = f"{first[fi]} {surname}"
        if rng.random() < 0.6:
            birthday = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
        yield demo_customer_id(i), demo_phone(i), name, birthday, demo_card(codec, i)


def opening_entries(
    rows: list[CustomerRow], now: datetime, till_id: str, rules_version: int
) -> list[LedgerEntry]:
    """A third of the customers get some history: spend (for tiers) and a bonus balance."""
    rng = random.Random(11)
    entries: list[LedgerEntry] = []
    for customer_id, *_rest in rows[::3]:
        when = now - timedelta(days=rng.randrange(20, 200))
        spend = rng.choice((50_000, 300_000, 1_800_000, 6_000_000))
        entries.append(
            LedgerEntry(
                id=derived_id(customer_id, "demo:purchase"),
                kind=EntryKind.PURCHASE,
                occurred_at=when,
                till_id=till_id,
                rules_version=rules_version,
                customer_id=customer_id,
                amount=spend,
            )
        )
        entries.append(
            LedgerEntry(
                id=derived_id(customer_id, "demo:opening"),
                kind=EntryKind.ADJUSTMENT,
                occurred_at=when,
                till_id=till_id,
                rules_version=rules_version,
                customer_id=customer_id,
                points=rng.randrange(5, 400) * 100,
                activates_at=when,
                expires_at=when + timedelta(days=365),
                reason="demo opening balance",
                author="demo",
            )
        )
    return entries
