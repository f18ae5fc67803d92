"""The server's hardening settings, the bounded description of invalid fields, and the
patterns OpenAPI states agreeing with what the server accepts."""

from __future__ import annotations

import os
import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from sync_server.api.errors import MAX_FIELD_CHARS, MAX_PROBLEMS, describe_problems
from sync_server.api.schemas.v1.tills import CODE_PATTERN, NAME_PATTERN
from sync_server.services.credentials import normalize_enrollment_code
from sync_server.settings import ENV_PREFIX, ServerSettings

MIB = 1024 * 1024


@pytest.fixture(autouse=True)
def no_server_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


def test_hardening_defaults() -> None:
    settings = ServerSettings()

    assert (settings.max_body_bytes, settings.max_push_body_bytes) == (MIB, 16 * MIB)
    assert settings.enroll_rate == "10/minute"
    assert settings.rate_limit_storage == "memory://"
    assert settings.workers == 1
    assert (settings.ssl_certfile, settings.ssl_keyfile) == (None, None)


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOYALTY_SERVER_MAX_BODY_BYTES", "65536")
    monkeypatch.setenv("LOYALTY_SERVER_ENROLL_RATE", "100 per hour")
    monkeypatch.setenv("LOYALTY_SERVER_WORKERS", "4")

    settings = ServerSettings()

    assert (settings.max_body_bytes, settings.enroll_rate, settings.workers) == (
        65536,
        "100 per hour",
        4,
    )


def test_an_unreadable_rate_is_refused_with_an_example() -> None:
    with pytest.raises(ValidationError, match=r"ENROLL_RATE must look like '10/minute'"):
        ServerSettings(enroll_rate="ten a minute")


@pytest.mark.parametrize("field", ["max_body_bytes", "max_push_body_bytes"])
def test_a_body_limit_below_1_kib_is_refused(field: str) -> None:
    with pytest.raises(ValidationError):
        ServerSettings(**{field: 100})


def test_tls_files_go_together() -> None:
    with pytest.raises(ValidationError, match="go together"):
        ServerSettings(ssl_keyfile=__file__)


def test_problems_are_listed_up_to_a_bound_then_counted() -> None:
    problems = [{"loc": ("body", f"f{i}"), "msg": "bad"} for i in range(MAX_PROBLEMS + 7)]

    message = describe_problems(problems)

    parts = message.split("; ")
    assert parts[:2] == ["f0: bad", "f1: bad"]
    assert len(parts) == MAX_PROBLEMS + 1
    assert parts[-1] == "… and 7 more"


def test_a_long_field_path_is_cut() -> None:
    message = describe_problems([{"loc": ("body", "k" * 1000, 3), "msg": "bad"}])

    assert message == "k" * MAX_FIELD_CHARS + "…: bad"


def test_few_problems_are_all_listed_and_none_is_a_plain_default() -> None:
    assert describe_problems([{"loc": ("body",), "msg": "Field required"}]) == "Field required"
    assert describe_problems([]) == "invalid request"


CODE_LIKE = st.text(alphabet="0123456789 -\t\n\u00a0x", max_size=40)


@given(st.from_regex(CODE_PATTERN, fullmatch=True))
def test_every_code_the_schema_allows_is_one_the_server_reads(text: str) -> None:
    assert normalize_enrollment_code(text) is not None


@given(CODE_LIKE)
def test_the_code_pattern_is_exactly_what_the_server_reads(text: str) -> None:
    assert (re.search(CODE_PATTERN, text) is not None) == (
        normalize_enrollment_code(text) is not None
    )


def test_every_character_the_name_pattern_allows_is_printable() -> None:
    allowed = [chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(NAME_PATTERN, chr(c))]

    assert len(allowed) > 500  # Latin, Cyrillic, punctuation
    assert all(character.isprintable() and not character.isspace() for character in allowed)
    assert re.fullmatch(NAME_PATTERN, "Till 1 ") and re.fullmatch(NAME_PATTERN, " Касса №2")
    assert not re.fullmatch(NAME_PATTERN, "") and not re.fullmatch(NAME_PATTERN, "Till\t1")


def test_an_unreadable_sign_in_rate_is_refused_by_its_own_name() -> None:
    with pytest.raises(ValidationError, match=r"SIGN_IN_RATE must look like '10/minute'"):
        ServerSettings(sign_in_rate="often")
