"""Loyalty rules documents this till holds; it prices with the newest one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.engine import Connection

from loyalty_core.rules import LoyaltyRules
from pos_client.adapters.repositories.driver_sql import driver, stamp
from pos_client.adapters.tables import RulesRow, table_of

_T = table_of(RulesRow)
# A version's document never changes, so parsed documents are shared process-wide.
_PARSED: dict[int, LoyaltyRules] = {}


class RulesRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def latest(self, at: datetime | None = None) -> LoyaltyRules | None:
        """The newest version; given ``at``, the newest in effect by then."""
        if at is None:
            row = driver(self._c).execute("SELECT max(version) FROM rules").fetchone()
        else:
            row = (
                driver(self._c)
                .execute(
                    "SELECT max(version) FROM rules"
                    " WHERE effective_at IS NULL OR effective_at <= ?",
                    (stamp(at),),
                )
                .fetchone()
            )
        version = row[0]
        return None if version is None else self.get(version)

    def get(self, version: int) -> LoyaltyRules | None:
        rules = _PARSED.get(version)
        if rules is None:
            text = self._c.execute(
                select(_T.c.document).where(_T.c.version == version)
            ).scalar_one_or_none()
            if text is None:
                return None
            rules = _PARSED[version] = LoyaltyRules.from_json(text)
        return rules

    def save(
        self, rules: LoyaltyRules, received_at: datetime, effective_at: datetime | None = None
    ) -> None:
        """Store a version; the same version received again is kept once, with its first
        document and the time it takes effect as last received (the server may move it)."""
        stmt = insert(_T).values(
            version=rules.version,
            document=rules.to_json(),
            received_at=received_at,
            effective_at=effective_at,
        )
        self._c.execute(
            stmt.on_conflict_do_update(
                index_elements=[_T.c.version], set_={"effective_at": stmt.excluded.effective_at}
            )
        )
