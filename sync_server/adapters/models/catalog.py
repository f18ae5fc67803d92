"""What tills sell and accept: products with their prices, and gift cards."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, FeedPosition, Id, IdType, Instant, Money, Name


class Product(Base):
    """A product and its price; ``store_id`` NULL means every store sells it."""

    __tablename__ = "products"

    id: Mapped[Id]
    store_id: Mapped[str | None] = mapped_column(IdType, ForeignKey("stores.id"), index=True)
    barcode: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[Name]
    price_minor: Mapped[Money]
    category: Mapped[str | None] = mapped_column(String(40))
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[Instant]
    feed_position: Mapped[FeedPosition]


class GiftCard(Base):
    """A gift card. Its balance is the projection of its ledger entries; money
    spent beyond it at two offline tills is ``debt_minor`` (see ``Settlement``)."""

    __tablename__ = "gift_cards"

    id: Mapped[Id]
    number: Mapped[str] = mapped_column(String(32), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[Instant]
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    debt_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[Instant]
    feed_position: Mapped[FeedPosition]
