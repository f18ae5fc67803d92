"""Which loyalty rules this till prices with."""

from __future__ import annotations

from datetime import datetime

from loyalty_core.errors import DomainError
from loyalty_core.rules import LoyaltyRules
from pos_client.adapters.unit_of_work import SqliteUnitOfWork


class NoRulesError(DomainError):
    code = "rules.missing"
    template = "This till has no loyalty rules yet: connect it to the server once."


def active_rules(uow: SqliteUnitOfWork, at: datetime | None = None) -> LoyaltyRules:
    """The newest rules version (in effect by ``at``, when given)."""
    rules = uow.rules.latest(at)
    if rules is None:
        raise NoRulesError()
    return rules
