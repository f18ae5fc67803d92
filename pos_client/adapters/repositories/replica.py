"""The till's copy of what the server holds: a pulled page written into the till database.

``apply_page`` runs inside the sync worker's write transaction with the new cursor, so a
page is applied whole or not at all and a cut bootstrap resumes from the last page.
Rows are plain SQL upserts through the sqlite3 connection (a bootstrap writes a million
customers). What the server merged is merged here the same way: an alias's customer row
goes, its cards and ledger entries move to the customer it was merged into, and the old id
keeps resolving through ``customer_aliases``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy.engine import Connection

from loyalty_core.customers import fold_name
from loyalty_core.errors import DomainError
from loyalty_core.giftcards import GiftCard
from loyalty_core.rules import LoyaltyRules
from loyalty_core.wire.sync import PullResponseV1, StoreSettingsV1, entry_of_row
from pos_client.adapters.repositories.driver_sql import driver, stamp
from pos_client.adapters.repositories.gift_cards import GiftCardRepository
from pos_client.adapters.repositories.ledger import LEDGER_INSERT_OR_IGNORE, ledger_rows
from pos_client.adapters.repositories.rules import RulesRepository

CURSOR_KEY = "sync.cursor"
STORE_SETTINGS_KEY = "sync.store_settings"


class StalePageError(DomainError):
    """A page that does not start where the till's copy ends (fetched ahead of a page
    that was not applied, or by a second puller): applying it could move the cursor back."""

    code = "sync.stale_page"
    template = (
        "A pulled page starts at {page_cursor}, but this till's copy ends at {cursor};"
        " nothing was applied, the next pull starts from {cursor}."
    )


@dataclass(slots=True)
class AppliedPage:
    rows: int = 0
    customers: set[str] = field(default_factory=set)  # whose wallets must be reloaded


class ReplicaRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def cursor(self) -> int:
        """Where the last applied page ended (0: nothing pulled yet)."""
        return int(self._setting(CURSOR_KEY) or 0)

    def store_settings(self) -> StoreSettingsV1 | None:
        """The store's settings as last pulled (its redemption policy among them)."""
        text = self._setting(STORE_SETTINGS_KEY)
        return StoreSettingsV1.model_validate_json(text) if text else None

    def apply(self, page: PullResponseV1, *, received_at: datetime) -> AppliedPage:
        """Write every row of ``page`` and move the cursor to its end, in this transaction;
        ``StalePageError`` (nothing written) unless the page starts at the cursor."""
        cursor = self.cursor()
        if page.cursor != cursor:
            raise StalePageError(page_cursor=page.cursor, cursor=cursor)
        rules = RulesRepository(self._c)
        for version in page.rules:
            document = LoyaltyRules.from_json(json.dumps(version.document))
            rules.save(document, received_at, version.effective_at)
        gift_cards = GiftCardRepository(self._c)
        for g in page.gift_cards:
            gift_cards.put(GiftCard(g.id, g.number, g.pin_hash, g.expires_at, g.blocked))
        return _apply_page(driver(self._c), page, received_at)

    def _setting(self, key: str) -> str | None:
        row = driver(self._c).execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None


def _apply_page(db: sqlite3.Connection, page: PullResponseV1, received_at: datetime) -> AppliedPage:
    applied = AppliedPage()
    _set(db, STORE_SETTINGS_KEY, page.store.model_dump_json())
    _staff(db, page)
    _products(db, page)
    _customers(db, page, applied)
    for alias_id, customer_id in page.aliases:
        _merge(db, alias_id, customer_id, applied)
    _cards(db, page, applied)
    _ledger(db, page, applied)
    applied.rows = (
        len(page.rules)
        + len(page.staff)
        + len(page.products)
        + len(page.customers)
        + len(page.aliases)
        + len(page.cards)
        + len(page.ledger)
        + len(page.gift_cards)
    )
    _set(db, CURSOR_KEY, str(page.next_cursor))
    return applied


def _set(db: sqlite3.Connection, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def _staff(db: sqlite3.Connection, page: PullResponseV1) -> None:
    db.executemany(
        "INSERT INTO staff (id, name, role, pin_hash, active, failed_attempts)"
        " VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
        " role = excluded.role, pin_hash = excluded.pin_hash, active = excluded.active",
        [(s.id, s.name, s.role, s.pin_hash, int(not s.disabled)) for s in page.staff],
    )


def _products(db: sqlite3.Connection, page: PullResponseV1) -> None:
    for p in page.products:
        # A barcode moved to another product id (or the till's own demo seed): the server's wins.
        db.execute("DELETE FROM products WHERE barcode = ? AND id <> ?", (p.barcode, p.id))
        db.execute(
            "INSERT INTO products (id, barcode, name, price, category, active)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET barcode = excluded.barcode,"
            " name = excluded.name, price = excluded.price, category = excluded.category,"
            " active = excluded.active",
            (p.id, p.barcode, p.name, p.price, p.category or "", int(p.active)),
        )


def _customers(db: sqlite3.Connection, page: PullResponseV1, applied: AppliedPage) -> None:
    rows = []
    holders = _holders(db, [row[1] for row in page.customers])  # one query per 500 phones
    for cid, phone, name, birthday, email, created_at, referrer_id in page.customers:
        held = holders.get(phone)
        if held is not None and held != cid:
            # Registered here offline under another id; the server kept ``cid``.
            _merge(db, held, cid, applied)
            holders.pop(phone)
        rows.append(
            (
                cid,
                phone,
                phone.lstrip("+")[::-1],
                name,
                fold_name(name),
                _day(birthday),
                email,
                referrer_id,
                stamp(created_at),
            )
        )
        applied.customers.add(cid)
    db.executemany(
        "INSERT INTO customers (id, phone, phone_reversed, name, name_folded, birthday, email,"
        " referrer_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO UPDATE SET phone = excluded.phone,"
        " phone_reversed = excluded.phone_reversed, name = excluded.name,"
        " name_folded = excluded.name_folded, birthday = excluded.birthday,"
        " email = excluded.email, referrer_id = excluded.referrer_id",
        rows,
    )


_CUSTOMER_FIELDS = (
    "phone, phone_reversed, name, name_folded, birthday, email, heard_from, referrer_id,"
    " created_at, created_by_staff_id, created_at_till_id"
)


def _merge(db: sqlite3.Connection, alias_id: str, customer_id: str, applied: AppliedPage) -> None:
    """``alias_id`` is now ``customer_id``: its cards, consents, sales and ledger move over."""
    if alias_id == customer_id:
        return
    db.execute(
        "INSERT INTO customer_aliases (alias_id, customer_id) VALUES (?, ?)"
        " ON CONFLICT (alias_id) DO UPDATE SET customer_id = excluded.customer_id",
        (alias_id, customer_id),
    )
    db.execute(  # aliases of the alias follow it
        "UPDATE customer_aliases SET customer_id = ? WHERE customer_id = ?",
        (customer_id, alias_id),
    )
    loser = db.execute(
        f"SELECT {_CUSTOMER_FIELDS} FROM customers WHERE id = ?", (alias_id,)
    ).fetchone()
    winner_held = db.execute("SELECT 1 FROM customers WHERE id = ?", (customer_id,)).fetchone()
    if loser is not None and winner_held is None:
        # The winner's own row comes later (this page or the next): until then it is the
        # loser's, under the winner's id. The phone is unique, so the loser lets go first.
        db.execute("UPDATE customers SET phone = phone || '~' WHERE id = ?", (alias_id,))
        db.execute(
            f"INSERT INTO customers (id, {_CUSTOMER_FIELDS}) VALUES (?{', ?' * len(loser)})",
            (customer_id, *loser),
        )
    for table in ("ledger_entries", "sales", "cards", "consents"):
        db.execute(
            f"UPDATE {table} SET customer_id = ? WHERE customer_id = ?",
            (customer_id, alias_id),
        )
    db.execute(
        "UPDATE customers SET referrer_id = ? WHERE referrer_id = ?", (customer_id, alias_id)
    )
    db.execute("DELETE FROM customers WHERE id = ?", (alias_id,))
    applied.customers.update((alias_id, customer_id))


def _cards(db: sqlite3.Connection, page: PullResponseV1, applied: AppliedPage) -> None:
    db.executemany(
        "INSERT INTO cards (number, customer_id, status, issued_at, replaced_by)"
        " VALUES (?, coalesce((SELECT customer_id FROM customer_aliases WHERE alias_id = ?), ?),"
        " ?, ?, ?) ON CONFLICT (number) DO UPDATE SET customer_id = excluded.customer_id,"
        " status = excluded.status, replaced_by = excluded.replaced_by",
        [
            (number, owner, owner, status, stamp(issued_at), replaced_by)
            for number, owner, status, issued_at, replaced_by in page.cards
        ],
    )
    applied.customers.update(owner for _n, owner, *_rest in page.cards)


def _ledger(db: sqlite3.Connection, page: PullResponseV1, applied: AppliedPage) -> None:
    aliases = _aliases(db, {row[5] for row in page.ledger if row[5] is not None})
    entries = []
    for row in page.ledger:
        entry = entry_of_row(row)
        if entry.customer_id in aliases:
            entry = replace(entry, customer_id=aliases[entry.customer_id])
        entries.append(entry)
        if entry.customer_id is not None:
            applied.customers.add(entry.customer_id)
    # An entry this till wrote itself (or pulled before) is already here: ids are the same.
    db.executemany(LEDGER_INSERT_OR_IGNORE, ledger_rows(entries))


def _holders(db: sqlite3.Connection, phones: list[str]) -> dict[str, str]:
    """phone -> the id of the customer holding it on this till, for those held."""
    found: dict[str, str] = {}
    for start in range(0, len(phones), 500):
        chunk = phones[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(
            (str(phone), str(cid))
            for cid, phone in db.execute(
                f"SELECT id, phone FROM customers WHERE phone IN ({marks})", chunk
            )
        )
    return found


def _aliases(db: sqlite3.Connection, ids: Iterable[str]) -> dict[str, str]:
    wanted = list(ids)
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(
            db.execute(
                f"SELECT alias_id, customer_id FROM customer_aliases WHERE alias_id IN ({marks})",
                chunk,
            ).fetchall()
        )
    return found


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
