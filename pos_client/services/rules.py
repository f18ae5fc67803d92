"""Which loyalty rules this till prices with."""

from __future__ import annotations

from loyalty_core.errors import DomainError
from loyalty_core.rules import LoyaltyRules
from pos_client.adapters.unit_of_work import SqliteUnitOfWork


class NoRulesError(DomainError):
    code = "rules.missing"
    template = "This till has no loyalty rules yet: connect it to the server once."


def active_rules(uow: SqliteUnitOfWork) -> LoyaltyRules:
    rules = uow.rules.latest()
    if rules is None:
        raise NoRulesError()
    return rules
