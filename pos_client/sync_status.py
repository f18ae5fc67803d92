"""What the till knows about its sync with the server, as one value every indicator reads.

The runner (``pos_client.sync_runner``) keeps one ``SyncStatus`` and publishes a new
one whenever something changes; the status bar shows it. Plain values only: the UI,
the admin CLI and the tests read it without Qt or a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class PushOutcome:
    """What one push round trip did: events the server answered, by status."""

    sent: int = 0
    applied: int = 0
    duplicate: int = 0
    rejected: int = 0


@dataclass(frozen=True, slots=True)
class PullOutcome:
    """What one pulled page did, and how far a bootstrap has come."""

    rows: int = 0
    has_more: bool = False
    done: int = 0  # rows pulled so far in this catch-up
    total: int | None = None  # rows the server said the catch-up holds, when it knows


@dataclass(frozen=True, slots=True)
class SyncStatus:
    online: bool | None = None  # None: not tried yet
    queued: int = 0  # events waiting to be sent
    rejected: int = 0  # events the server refused (listed for managers)
    last_sync_at: datetime | None = None  # last round trip the server answered
    error: str | None = None  # why the last attempt failed, in plain words
    catching_up: PullOutcome | None = field(default=None)  # a bootstrap or a long pull

    @property
    def bootstrap_percent(self) -> int | None:
        progress = self.catching_up
        if progress is None or not progress.total:
            return None
        return min(100, progress.done * 100 // progress.total)


class SyncPort(Protocol):
    """The steps of a sync round, each one blocking call; the runner puts each on its lane.

    Database steps (``claim``, ``record``, ``release``, ``cursor``, ``apply``, ``counts``) on the
    DB lane, network steps (``send``, ``fetch``) on the IO lane, never on the GUI thread.
    """

    # Batches, answers and pages pass through the runner untouched: their types are the port's.
    def configured(self) -> bool: ...
    def claim(self) -> Any | None: ...  # a batch of queued events, or None
    def send(self, batch: Any) -> Any: ...  # the server's answer (raises when offline)
    def record(self, batch: Any, answer: Any) -> PushOutcome: ...
    def release(self, batch: Any, reason: str | None = None) -> None: ...
    def cursor(self) -> int: ...  # where the last applied page ended
    def fetch(self, cursor: int) -> Any: ...  # the next page after ``cursor``
    def apply(self, page: Any) -> PullOutcome: ...
    def counts(self) -> tuple[int, int]: ...  # (queued, rejected)
    # The store's survey secret: known (DB), fetched (IO), kept (DB); once, when online.
    def survey_link_known(self) -> bool: ...
    def fetch_survey_link(self) -> Any | None: ...
    def keep_survey_link(self, link: Any | None) -> bool: ...
