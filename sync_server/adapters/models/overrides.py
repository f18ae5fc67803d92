"""The audit log of managers' overrides at the tills: who allowed what, why and when."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, Id, IdType, Instant, Money


class Override(Base):
    __tablename__ = "overrides"
    __table_args__ = (Index(None, "store_id", "at"), Index(None, "manager_id", "at"))

    id: Mapped[Id]
    store_id: Mapped[str] = mapped_column(IdType, ForeignKey("stores.id"))
    till_id: Mapped[str] = mapped_column(IdType, ForeignKey("tills.id"))
    manager_id: Mapped[str] = mapped_column(IdType)
    staff_id: Mapped[str] = mapped_column(IdType)  # the cashier who asked
    action: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(IdType)  # the return or sale it allowed
    amount_minor: Mapped[Money]
    reason: Mapped[str] = mapped_column(String(500))
    at: Mapped[Instant]
