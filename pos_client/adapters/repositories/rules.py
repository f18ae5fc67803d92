"""Loyalty rules documents this till holds; it prices with the newest one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from loyalty_core.rules import LoyaltyRules
from pos_client.adapters.tables import RulesRow

_T = RulesRow.__table__


class RulesRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def latest(self) -> LoyaltyRules | None:
        text = self._s.execute(
            select(_T.c.document).order_by(_T.c.version.desc()).limit(1)
        ).scalar_one_or_none()
        return LoyaltyRules.from_json(text) if text else None

    def get(self, version: int) -> LoyaltyRules | None:
        text = self._s.execute(
            select(_T.c.document).where(_T.c.version == version)
        ).scalar_one_or_none()
        return LoyaltyRules.from_json(text) if text else None

    def save(self, rules: LoyaltyRules, received_at: datetime) -> None:
        """Store a version; the same version received twice is kept once."""
        stmt = insert(_T).values(
            version=rules.version, document=rules.to_json(), received_at=received_at
        )
        self._s.execute(stmt.on_conflict_do_nothing(index_elements=[_T.c.version]))
