"""Till settings: file, then environment; a bad value is refused with a message naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_client.config import InvalidSettingsError, TillMode, load_settings
from resources.demo.dataset import DEMO_CARD_SECRET


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "till.toml"
    monkeypatch.setenv("LOYALTY_TILL_CONFIG", str(path))
    return path


def test_defaults_are_a_demo_till_in_russia(config_file: Path, tmp_path: Path) -> None:
    config_file.write_text("")
    settings = load_settings(data_dir=tmp_path)
    assert settings.mode is TillMode.DEMO
    assert settings.phone_region == "RU" and settings.language == "ru"
    assert settings.resolved_database_path == tmp_path / "till.sqlite3"


def test_file_values_and_environment_overrides(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file.write_text('phone_region = "kz"\nlanguage = "en"\nserver_url = "http://a:1/"\n')
    settings = load_settings()
    assert settings.phone_region == "KZ" and settings.language == "en"
    assert settings.server_url == "http://a:1"
    monkeypatch.setenv("LOYALTY_TILL_LANGUAGE", "ru")
    assert load_settings().language == "ru"


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ('phone_region = "XX"', "phone_region"),
        ('language = "de"', "language"),
        ('server_url = "ftp://x"', "server_url"),
        ("busy_timeout_ms = 5", "busy_timeout_ms"),
        ('card_secret_hex = "zz"', "card_secret_hex"),
        ('colour = "blue"', "colour"),
    ],
)
def test_bad_values_are_named_in_the_message(config_file: Path, content: str, named: str) -> None:
    config_file.write_text(content)
    with pytest.raises(InvalidSettingsError) as info:
        load_settings()
    assert named in info.value.message
    assert str(config_file) in info.value.message


def test_production_refuses_the_demo_card_secret(config_file: Path) -> None:
    config_file.write_text('mode = "production"')
    with pytest.raises(InvalidSettingsError) as info:
        load_settings()
    assert "card_secret_hex" in info.value.message
    config_file.write_text(f'mode = "production"\ncard_secret_hex = "{"ab" * 32}"')
    assert load_settings().card_secret_hex != DEMO_CARD_SECRET


def test_scanner_settings_default_to_a_wedge_only_till(config_file: Path) -> None:
    config_file.write_text("")
    settings = load_settings()
    assert settings.scanner_url == ""
    assert (settings.wedge_max_gap_ms, settings.wedge_min_length) == (30, 4)


def test_scanner_settings_from_the_file_and_the_environment(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file.write_text('scanner_url = " /dev/ttyACM0 "\nwedge_max_gap_ms = 50\n')
    settings = load_settings()
    assert settings.scanner_url == "/dev/ttyACM0"
    assert settings.wedge_max_gap_ms == 50
    monkeypatch.setenv("LOYALTY_TILL_SCANNER_URL", "loop://")
    monkeypatch.setenv("LOYALTY_TILL_WEDGE_MIN_LENGTH", "8")
    settings = load_settings()
    assert (settings.scanner_url, settings.wedge_min_length) == ("loop://", 8)


@pytest.mark.parametrize(
    "content",
    ["wedge_max_gap_ms = 0", "wedge_max_gap_ms = 201", "wedge_min_length = 0"],
)
def test_wedge_thresholds_out_of_range_are_refused(config_file: Path, content: str) -> None:
    config_file.write_text(content)
    with pytest.raises(InvalidSettingsError) as info:
        load_settings()
    assert content.partition(" =")[0] in info.value.message
