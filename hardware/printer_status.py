"""What a printer says about itself, and the errors that follow from it.

ESC/POS real-time status (DLE EOT n) answers one byte whose fixed bits are 0xx1xx10 (bits 1 and 4
set, 0 and 7 clear); any other answer, or none, means the status is unknown and printing goes
ahead. Unknown is never an error: many printers or links cannot answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from hardware.errors import (
    PrinterCoverOpenError,
    PrinterFaultError,
    PrinterOutOfPaperError,
)

log = logging.getLogger(__name__)

QUERY_OFFLINE_CAUSE = b"\x10\x04\x02"  # DLE EOT 2
QUERY_PAPER_SENSOR = b"\x10\x04\x04"  # DLE EOT 4
STATUS_QUERIES = (QUERY_OFFLINE_CAUSE, QUERY_PAPER_SENSOR)

_FIXED_MASK, _FIXED_BITS = 0x93, 0x12
_COVER_OPEN, _STOPPED_NO_PAPER, _ERROR = 0x04, 0x20, 0x40  # DLE EOT 2
_PAPER_NEAR_END, _PAPER_END = 0x0C, 0x60  # DLE EOT 4
_LP_PAPER_OUT = 0x20  # Linux LPGETSTATUS (usblp), the LP_POUTPA bit


@dataclass(frozen=True)
class PrinterStatus:
    known: bool = False
    paper_out: bool = False
    paper_low: bool = False
    cover_open: bool = False
    fault: bool = False

    @property
    def ready(self) -> bool:
        return not (self.paper_out or self.cover_open or self.fault)


UNKNOWN_STATUS = PrinterStatus()


def is_status_byte(value: int) -> bool:
    return value & _FIXED_MASK == _FIXED_BITS


def query_realtime_status(exchange: Callable[[bytes], bytes]) -> PrinterStatus:
    """Ask DLE EOT 2 and 4 through `exchange(query) -> reply` (b"" when nothing came back)."""
    replies: list[int] = []
    for query in STATUS_QUERIES:
        reply = exchange(query)
        if len(reply) != 1 or not is_status_byte(reply[0]):
            log.debug("no usable answer to status query %r: %r", query, reply)
            return UNKNOWN_STATUS
        replies.append(reply[0])
    offline_cause, paper = replies
    return PrinterStatus(
        known=True,
        paper_out=bool(offline_cause & _STOPPED_NO_PAPER or paper & _PAPER_END),
        paper_low=bool(paper & _PAPER_NEAR_END),
        cover_open=bool(offline_cause & _COVER_OPEN),
        fault=bool(offline_cause & _ERROR),
    )


def status_from_lp_port(value: int) -> PrinterStatus:
    """Linux parallel-port status from the usblp driver; only "paper out" is trusted."""
    return PrinterStatus(known=True, paper_out=bool(value & _LP_PAPER_OUT))


def ensure_ready(status: PrinterStatus, printer: str) -> None:
    """Raise the PrinterNotReadyError subclass that explains why `printer` cannot print now."""
    if status.paper_out:
        raise PrinterOutOfPaperError(f"{printer} is out of paper")
    if status.cover_open:
        raise PrinterCoverOpenError(f"{printer} has its cover open")
    if status.fault:
        raise PrinterFaultError(f"{printer} reports an error (cutter jam or overheating?)")
    if status.paper_low:
        log.warning("%s: paper is running low", printer)
