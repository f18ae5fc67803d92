"""What the till knows about its receipt printer and its print queue, as one value.

The print runner (``pos_client.print_runner``) keeps one ``PrinterState`` and publishes a
new one whenever something changes; the status bar shows it. Plain values only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from hardware.errors import (
    PrinterConfigError,
    PrinterCoverOpenError,
    PrinterFaultError,
    PrinterOfflineError,
    PrinterOutOfPaperError,
    PrinterTimeoutError,
    PrinterUnconfirmedError,
)
from hardware.receipt import ReceiptDocument
from pos_client.services.messages import QueueState, ReceiptToPrint

PROBLEM_KINDS = (
    "offline",
    "timeout",
    "unconfirmed",
    "paper_out",
    "cover_open",
    "fault",
    "settings",
    "other",
)
_KIND_OF: tuple[tuple[type[Exception], str], ...] = (
    (PrinterConfigError, "settings"),
    (PrinterOfflineError, "offline"),
    (PrinterUnconfirmedError, "unconfirmed"),
    (PrinterTimeoutError, "timeout"),
    (PrinterOutOfPaperError, "paper_out"),
    (PrinterCoverOpenError, "cover_open"),
    (PrinterFaultError, "fault"),
)


def problem_kind(exc: Exception) -> str:
    """Which of ``PROBLEM_KINDS`` an exception from printing is (``other``: a bug, or an
    error the printer layer did not expect)."""
    return next((kind for cls, kind in _KIND_OF if isinstance(exc, cls)), "other")


@dataclass(frozen=True, slots=True)
class PrinterState:
    configured: bool = False  # a printer is set up at this till
    ready: bool | None = None  # None: not asked yet, or it cannot say
    problem: str | None = None  # why it does not print now, in the printer's words (English)
    problem_kind: str | None = None  # the same as one of PROBLEM_KINDS, for the cashier's text
    paper_low: bool = False  # the printer says its paper is near its end
    waiting: int = 0  # receipts in the queue
    oldest_at: datetime | None = None  # when the oldest waiting one was queued
    stale: bool = False  # the oldest has waited longer than the till's setting


class ReceiptPrinter(Protocol):
    """What the runner needs of ``hardware.EscposReceiptPrinter`` (named here, so the UI that
    shows the runner's state imports no printer driver)."""

    def print_receipt(self, doc: ReceiptDocument) -> None: ...


class PrintPort(Protocol):
    """The print queue's steps, each one blocking; the runner puts each on its lane."""

    def next_to_print(self) -> ReceiptToPrint | None: ...
    def printed(self, job_id: int) -> None: ...
    def print_failed(self, job_id: int, reason: str) -> None: ...
    def print_set_aside(self, job_id: int, reason: str) -> None: ...
    def print_unconfirmed(self, job_id: int, reason: str) -> None: ...
    def print_queue(self) -> QueueState: ...
