"""Helpers for sync tests on a migrated server database: an enrolled till, writers."""

from __future__ import annotations

from loyalty_core.ids import new_id
from sync_server.services.sync_ports import NewCustomer
from sync_server.services.till_auth import authenticate_till
from sync_server.services.tills import TillRecord
from tests.integration.sync_server.enrollment_support import NOW, Server


def enrolled_till(server: Server, store: str = "Main street", name: str = "Till 1") -> TillRecord:
    enrollment = server.enroll(server.issue(store).code, name=name)
    return authenticate_till(enrollment.credential, server.uow())


def new_customer(till: TillRecord, phone: str) -> NewCustomer:
    return NewCustomer(
        id=new_id(),
        phone=phone,
        name=None,
        birthday=None,
        email=None,
        heard_from=None,
        referrer_id=None,
        consent_given_at=NOW,
        consent_text_version="2026-01",
        till_id=till.id,
        created_at=NOW,
    )
