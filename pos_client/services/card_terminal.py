"""The bank card's part of a payment, behind a protocol for the acquiring terminal.

``TillServices.checkout`` charges the card part before the sale is written and reverses
the charge if the sale is then refused (a changed total, a shift closed meanwhile), so the
customer is never charged for a sale the till did not keep. The checkout runs on the
database lane, never the GUI thread, so a terminal that talks to a bank may take its time.

``StandaloneTerminal`` is today's terminal: not connected to the till, the cashier keys the
sum into it and confirms on the payment screen; it approves what it is asked. A connected
terminal (a bank's protocol) is another class with the same two methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from loyalty_core.errors import DomainError


class CardDeclinedError(DomainError):
    code = "payment.card_declined"
    template = "The bank card was declined: {reason}."


@dataclass(frozen=True, slots=True)
class CardApproval:
    reference: str  # the till's reference for the charge (the sale's, when it has one)
    amount: int
    authorization: str = ""  # the bank's code, when the terminal is connected


class CardTerminal(Protocol):
    def charge(self, amount: int, reference: str) -> CardApproval:
        """Take ``amount`` from the card; raises ``CardDeclinedError``."""
        ...

    def reverse(self, approval: CardApproval) -> None:
        """Give back a charge whose sale was not kept."""
        ...


class StandaloneTerminal:
    """A terminal beside the till: the cashier keys the sum in and confirms it here."""

    def charge(self, amount: int, reference: str) -> CardApproval:
        return CardApproval(reference, amount)

    def reverse(self, approval: CardApproval) -> None:
        return None  # nothing was charged through the till
