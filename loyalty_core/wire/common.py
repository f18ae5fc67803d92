"""What every wire model shares: frozen, strict about unknown fields and about money."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    PlainSerializer,
    StrictInt,
    StringConstraints,
)

# Money and points are integers in minor units: 1.5 or "150" is refused, never rounded.
Minor = StrictInt


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


# A time with its offset; on the wire ISO 8601 in UTC ("+00:00"), as the ledger stores it.
Instant = Annotated[AwareDatetime, PlainSerializer(_iso_utc, when_used="json")]
Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(max_length=500)]


class WireModel(BaseModel):
    """Immutable, and an unknown field is an error rather than silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")
