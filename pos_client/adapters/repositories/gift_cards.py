"""Gift cards this till may take, as pulled from the server, and its count of wrong PINs."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from loyalty_core.giftcards import GiftCard
from pos_client.adapters.tables import GiftCardRow, table_of

_T = table_of(GiftCardRow)


class GiftCardRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def put(self, card: GiftCard) -> None:
        """Add the card, or take the server's word on its PIN, expiry and block."""
        values = {
            "number": card.number,
            "pin_hash": card.pin_hash,
            "expires_at": card.expires_at,
            "blocked": card.blocked,
        }
        if self._c.execute(update(_T).where(_T.c.id == card.id).values(**values)).rowcount == 0:
            self._c.execute(_T.insert().values(id=card.id, failed_pins=0, **values))

    def by_number(self, number: str) -> tuple[GiftCard, int] | None:
        """The card with this number and the wrong PINs typed for it here, if the till has it."""
        row = self._c.execute(select(_T).where(_T.c.number == number)).first()
        if row is None:
            return None
        return _card(row), int(row.failed_pins)

    def get(self, gift_card_id: str) -> GiftCard | None:
        row = self._c.execute(select(_T).where(_T.c.id == gift_card_id)).first()
        return None if row is None else _card(row)

    def count_wrong_pin(self, gift_card_id: str) -> None:
        self._c.execute(
            update(_T).where(_T.c.id == gift_card_id).values(failed_pins=_T.c.failed_pins + 1)
        )

    def clear_wrong_pins(self, gift_card_id: str) -> None:
        self._c.execute(update(_T).where(_T.c.id == gift_card_id).values(failed_pins=0))


def _card(row: object) -> GiftCard:
    r = row._mapping  # type: ignore[attr-defined]
    return GiftCard(r["id"], r["number"], r["pin_hash"], r["expires_at"], bool(r["blocked"]))
