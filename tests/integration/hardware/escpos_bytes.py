"""What the admin test page looks like on the wire, byte by byte, for the default profile."""

from __future__ import annotations

RESET = b"\x1b@"  # ESC @
SELECT_CP866 = b"\x1bt\x11"  # ESC t 17: CP866 on the default (Epson-compatible) profile
FULL_CUT = b"\x1dV\x00"  # GS V 0
TITLE_IN_CP866 = b"\x92\x85\x91\x92\x8e\x82\x9b\x89"  # "ТЕСТОВЫЙ": Т=92 Е=85 С=91 ... Й=89
THANKS_IN_CP866 = b"\x91\xaf\xa0\xe1\xa8\xa1\xae"  # "Спасибо": С=91 п=AF а=A0 с=E1 и=A8 б=A1 о=AE


def assert_test_page_bytes(job: bytes) -> None:
    """The job is the test page: code page chosen before any text, Cyrillic in CP866, a cut."""
    assert job.startswith(RESET + SELECT_CP866), job[:16]
    assert job.count(b"\x1bt") == 1, "one code page for the whole receipt"
    assert TITLE_IN_CP866 in job and THANKS_IN_CP866 in job
    assert "ТЕСТОВЫЙ".encode() not in job, "no UTF-8 on the wire"
    assert job.endswith(FULL_CUT)
