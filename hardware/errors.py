"""Why a receipt could not be printed.

Each class is one reason the till can act on: show a translated message per class (the text of
an error is technical English for logs and admins, not for the cashier), keep the receipt queued,
and retry or ask the cashier to fix the printer.
"""

from __future__ import annotations


class PrinterError(Exception):
    """A receipt could not be printed; nothing was lost, the job can be sent again."""


class PrinterConfigError(PrinterError, ValueError):
    """The printer settings are wrong (bad URL, unknown profile or code page, missing driver).

    Retrying will not help; an administrator must fix the settings.
    """


class PrinterOfflineError(PrinterError):
    """The printer cannot be reached: switched off, unplugged, refused the connection."""


class PrinterTimeoutError(PrinterError):
    """The printer did not take the job in time: busy with another job, stalled, or unreachable."""


class PrinterUnconfirmedError(PrinterTimeoutError):
    """The whole job was sent but the printer did not confirm it in time. It may well have
    printed: sending it again risks a second receipt, so it is not retried by itself."""


class PrinterNotReadyError(PrinterError):
    """The printer answered but reports it cannot print right now."""


class PrinterOutOfPaperError(PrinterNotReadyError):
    """The paper roll is empty."""


class PrinterCoverOpenError(PrinterNotReadyError):
    """The paper cover is open."""


class PrinterFaultError(PrinterNotReadyError):
    """The printer reports an error (e.g. cutter jam, print head overheated)."""
