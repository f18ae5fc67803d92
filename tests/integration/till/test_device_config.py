"""Device settings saved to the till's real TOML file in tmp_path: changed keys written, the rest
of the file kept, a wrong value refused with the file untouched, and the till reading what was
saved when it starts again."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from hardware import open_printer
from pos_client.config import CONFIG_ENV, InvalidSettingsError, load_settings
from pos_client.services.device_config import (
    DeviceSettings,
    DeviceSettingsError,
    PrinterFields,
    compose_printer_url,
    read_device_settings,
    save_device_settings,
    setting_range,
    split_printer_url,
    supported_keys,
)

HAND_WRITTEN = """\
# The till at the back counter
language = "en"   # the staff read English
printer_url = "tcp://192.168.1.50:9100"
sync_interval_s = 10.0
"""
SCANNER_KEYS = {"scanner_url", "wedge_max_gap_ms", "wedge_min_length"}


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file the till reads (LOYALTY_TILL_CONFIG names it), as an administrator wrote it."""
    path = tmp_path / "config" / "till.toml"
    path.parent.mkdir()
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(path))
    for name in list(os.environ):
        if name.upper().startswith("LOYALTY_TILL_") and name != CONFIG_ENV:
            monkeypatch.delenv(name)
    return path


def refused(path: Path, settings: DeviceSettings, **checks: object) -> DeviceSettingsError:
    before = path.read_bytes()
    with pytest.raises(DeviceSettingsError) as caught:
        save_device_settings(path, settings, **checks)
    assert path.read_bytes() == before, "a refused save changed the file"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name], "a temporary file left"
    return caught.value


def test_reads_what_the_file_says_and_defaults_for_the_rest(config_file: Path) -> None:
    config = read_device_settings(config_file)

    assert config.path == config_file
    assert config.settings.printer_url == "tcp://192.168.1.50:9100"
    assert config.settings.wedge_max_gap_ms == 30
    assert "printer_url" in config.supported
    assert config.env_overrides == ()


def test_a_missing_file_reads_as_defaults(tmp_path: Path) -> None:
    config = read_device_settings(tmp_path / "none.toml")

    assert config.settings == DeviceSettings()


def test_saving_rewrites_only_the_changed_key_and_the_till_starts_with_it(
    config_file: Path,
) -> None:
    url = "serial:///dev/ttyUSB0?profile=POS-5890&baudrate=19200"

    saved = save_device_settings(config_file, DeviceSettings(printer_url=url))

    assert saved.changed == ("printer_url",)
    assert saved.restart_needed
    assert config_file.read_text(encoding="utf-8") == HAND_WRITTEN.replace(
        '"tcp://192.168.1.50:9100"', f'"{url}"'
    )
    settings = load_settings(data_dir=config_file.parent)
    assert settings.printer_url == url
    assert settings.language == "en"
    assert settings.sync_interval_s == 10.0
    assert read_device_settings(config_file).settings.printer_url == url


def test_a_first_save_creates_the_file_and_its_folder_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "till.toml"

    save_device_settings(path, DeviceSettings(printer_url="dummy://"))

    assert path.read_text(encoding="utf-8") == 'printer_url = "dummy://"\n'
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_file_keeps_its_permissions_and_no_temporary_file_is_left(config_file: Path) -> None:
    config_file.chmod(0o640)

    save_device_settings(config_file, DeviceSettings(printer_url="file:///dev/usb/lp0"))

    assert stat.S_IMODE(config_file.stat().st_mode) == 0o640
    assert [p.name for p in config_file.parent.iterdir()] == ["till.toml"]


def test_nothing_changed_leaves_the_file_alone(config_file: Path) -> None:
    before = config_file.stat().st_mtime_ns
    same = read_device_settings(config_file).settings

    saved = save_device_settings(config_file, same)

    assert saved.changed == ()
    assert config_file.stat().st_mtime_ns == before


def test_no_printer_is_an_empty_url(config_file: Path) -> None:
    save_device_settings(config_file, DeviceSettings(printer_url="  "))

    assert load_settings(data_dir=config_file.parent).printer_url == ""


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("192.168.1.50:9100", "not a printer URL"),
        ("lpt://1", "unknown printer type"),
        ("tcp://192.168.1.50:9100?colums=32", "unknown option(s) colums"),
        ("tcp://192.168.1.50:99999", "bad host:port"),
        ("usb://0416", "expected usb://VENDOR:PRODUCT"),
        ("tcp://192.168.1.50:9100?columns=200", "columns must be 16..96"),
    ],
)
def test_a_printer_url_the_printer_layer_refuses_is_not_saved(
    config_file: Path, url: str, problem: str
) -> None:
    error = refused(config_file, DeviceSettings(printer_url=url))

    assert error.code == "devices.invalid_printer"
    assert error.params["url"] == url
    assert problem in error.params["problem"]


def test_the_stricter_check_refuses_an_unknown_profile_or_code_page(config_file: Path) -> None:
    profile = refused(
        config_file,
        DeviceSettings(printer_url="dummy://?profile=TM-NOPE"),
        check_printer=open_printer,
    )
    codepage = refused(
        config_file,
        DeviceSettings(printer_url="dummy://?codepage=CP9999"),
        check_printer=open_printer,
    )

    assert profile.code == codepage.code == "devices.invalid_printer"
    assert "unknown printer profile 'TM-NOPE'" in profile.params["problem"]
    assert "CP9999" in codepage.params["problem"]


def test_a_file_that_is_not_toml_is_not_overwritten(config_file: Path) -> None:
    config_file.write_text('printer_url = "tcp://unfinished\n', encoding="utf-8")

    error = refused(config_file, DeviceSettings(printer_url="dummy://"))

    assert error.code == "devices.config_unreadable"


def test_other_keys_the_till_would_refuse_stop_the_save(config_file: Path) -> None:
    config_file.write_text(HAND_WRITTEN + 'colour = "red"\n', encoding="utf-8")

    error = refused(config_file, DeviceSettings(printer_url="dummy://"))

    assert error.code == "devices.settings_invalid"
    assert "colour" in error.params["problems"]


def test_a_path_that_is_not_a_regular_file_is_never_replaced(tmp_path: Path) -> None:
    """A settings path naming a pipe (or a device): saving refuses at once, neither reading it
    (a pipe would block) nor replacing it. A pipe of the test's own, and through a symlink, so
    a broken save cannot replace the machine's /dev/null."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    link = tmp_path / "till.toml"
    link.symlink_to(pipe)

    for path in (pipe, link):
        with pytest.raises(DeviceSettingsError) as caught:
            save_device_settings(path, DeviceSettings(printer_url="dummy://"))
        assert caught.value.code == "devices.config_unwritable"
        assert caught.value.params["path"] == str(path)
    assert stat.S_ISFIFO(pipe.stat().st_mode) and link.is_symlink()


def test_a_variable_that_overrides_the_saved_key_is_named(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOYALTY_TILL_PRINTER_URL", "dummy://")

    saved = save_device_settings(config_file, DeviceSettings(printer_url="file:///dev/usb/lp0"))

    assert saved.env_overrides == ("printer_url",)
    assert read_device_settings(config_file).env_overrides == ("printer_url",)


def test_a_value_spread_over_lines_is_rewritten_with_the_whole_file(config_file: Path) -> None:
    config_file.write_text(
        'language = "en"\nprinter_url = """\ntcp://192.168.1.50:9100"""\nwal_limit_mb = 32\n',
        encoding="utf-8",
    )

    save_device_settings(config_file, DeviceSettings(printer_url="dummy://"))

    settings = load_settings(data_dir=config_file.parent)
    assert (settings.printer_url, settings.language, settings.wal_limit_mb) == (
        "dummy://",
        "en",
        32,
    )


def test_quotes_and_backslashes_in_a_path_survive(config_file: Path) -> None:
    url = 'file:///tmp/a "quoted" \\ folder/receipt.bin'

    save_device_settings(config_file, DeviceSettings(printer_url=url))

    assert load_settings(data_dir=config_file.parent).printer_url == url


def test_a_control_character_is_refused(config_file: Path) -> None:
    error = refused(config_file, DeviceSettings(printer_url="file:///tmp/a\x07b"))

    assert error.code == "devices.invalid_printer"


def test_scanner_settings_are_saved_once_the_till_knows_them(config_file: Path) -> None:
    wanted = DeviceSettings(
        printer_url="tcp://192.168.1.50:9100",
        scanner_url="/dev/ttyACM0",
        wedge_max_gap_ms=45,
        wedge_min_length=6,
    )
    if not supported_keys() >= SCANNER_KEYS:  # this till's settings have no scanner keys yet
        assert refused(config_file, wanted).code == "devices.unsupported"
        return

    saved = save_device_settings(config_file, wanted)

    assert set(saved.changed) == SCANNER_KEYS
    assert read_device_settings(config_file).settings == wanted
    settings = load_settings(data_dir=config_file.parent)
    assert settings.scanner_url == "/dev/ttyACM0"
    assert settings.wedge_max_gap_ms == 45
    assert settings.wedge_min_length == 6


@pytest.mark.parametrize("field", ["wedge_max_gap_ms", "wedge_min_length"])
def test_numbers_out_of_range_are_refused_and_the_range_is_the_tills(
    config_file: Path, field: str
) -> None:
    low, high = setting_range(field)
    base = DeviceSettings(printer_url="tcp://192.168.1.50:9100")

    errors = [refused(config_file, replace(base, **{field: v})) for v in (low - 1, high + 1)]

    if field not in supported_keys():
        assert {error.code for error in errors} == {"devices.unsupported"}
        return
    assert {error.code for error in errors} == {"devices.out_of_range"}
    assert errors[1].params == {"setting": field, "low": low, "high": high, "value": high + 1}
    for beyond in (low - 1, high + 1):  # the till itself refuses just past the same bounds
        with pytest.raises(InvalidSettingsError):
            load_settings(data_dir=config_file.parent, **{field: beyond})
    for value in (low, high):
        save_device_settings(config_file, replace(base, **{field: value}))
        assert getattr(load_settings(data_dir=config_file.parent), field) == value


def test_a_scanner_port_the_scanner_check_refuses_is_not_saved(config_file: Path) -> None:
    def check(port: str) -> None:
        raise ValueError(f"invalid URL, protocol {port.partition(':')[0]!r} not known")

    settings = DeviceSettings(printer_url="tcp://192.168.1.50:9100", scanner_url="nope://x")
    error = refused(config_file, settings, check_scanner=check)

    if "scanner_url" in supported_keys():
        assert error.code == "devices.invalid_scanner"
        assert "protocol 'nope' not known" in error.params["problem"]
    else:
        assert error.code == "devices.unsupported"


def test_a_printer_url_splits_into_the_screens_fields_and_back() -> None:
    url = (
        "serial:///dev/ttyUSB0?baudrate=19200&profile=POS-5890&columns=32&codepage=CP866&flow=none"
    )

    fields = split_printer_url(url)

    assert fields == PrinterFields(
        kind="serial",
        address="/dev/ttyUSB0",
        profile="POS-5890",
        codepage="CP866",
        columns=32,
        options="baudrate=19200&flow=none",
    )
    assert compose_printer_url(fields) == (
        "serial:///dev/ttyUSB0?profile=POS-5890&codepage=CP866&columns=32&baudrate=19200&flow=none"
    )
    assert split_printer_url(compose_printer_url(fields)) == fields


def test_defaults_leave_the_url_bare() -> None:
    assert compose_printer_url(PrinterFields("tcp", "10.0.0.5:9100", profile="default")) == (
        "tcp://10.0.0.5:9100"
    )
    assert compose_printer_url(PrinterFields()) == ""
    assert split_printer_url("") == PrinterFields()
    assert compose_printer_url(split_printer_url("dummy://")) == "dummy://"
