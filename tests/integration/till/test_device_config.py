"""Device settings saved to the till's real TOML file in tmp_path: changed keys written, the rest
of the file kept, a wrong value refused with the file untouched, and the till reading what was
saved when it starts again."""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import Field
from pydantic_settings import BaseSettings

from hardware import open_printer
from pos_client.config import CONFIG_ENV, InvalidSettingsError, load_settings
from pos_client.services import device_config
from pos_client.services.device_config import (
    DeviceSettings,
    DeviceSettingsError,
    PrinterFields,
    SavedDevices,
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
        assert caught.value.params == {"path": str(path), "problem": "it is not a regular file"}
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


# --- worked examples: the file's bytes, the refusals' params, what a read shows -----------------


def test_saving_twice_to_a_file_without_a_last_newline_adds_the_keys_in_order(
    config_file: Path,
) -> None:
    """A file saved by an editor that leaves no newline at its end: the new keys go after its
    last line, one a line, in the order of the screen's fields, and the rest stays byte for
    byte."""
    config_file.write_text(
        '# front till\nlanguage = "en"\nsync_interval_s = 10.0', encoding="utf-8"
    )
    if not supported_keys() >= SCANNER_KEYS:
        pytest.skip("this till's settings have no scanner keys yet")

    saved = save_device_settings(
        config_file,
        DeviceSettings(printer_url="dummy://", scanner_url="/dev/ttyACM0", wedge_min_length=8),
    )

    assert saved == SavedDevices(
        config_file, ("printer_url", "scanner_url", "wedge_min_length"), ()
    )
    assert config_file.read_bytes() == (
        b"# front till\n"
        b'language = "en"\n'
        b"sync_interval_s = 10.0\n"
        b'printer_url = "dummy://"\n'
        b'scanner_url = "/dev/ttyACM0"\n'
        b"wedge_min_length = 8\n"
    )


def test_a_changed_key_on_the_last_line_without_a_newline_is_rewritten_in_place(
    config_file: Path,
) -> None:
    config_file.write_text(
        '# back counter\nlanguage = "en"\nprinter_url = "tcp://192.168.1.50:9100"',
        encoding="utf-8",
    )

    save_device_settings(config_file, DeviceSettings(printer_url="tcp://192.168.1.51:9100"))

    assert config_file.read_bytes() == (
        b'# back counter\nlanguage = "en"\nprinter_url = "tcp://192.168.1.51:9100"\n'
    )


def test_a_one_line_file_without_a_newline_gets_the_new_key_on_its_own_line(
    config_file: Path,
) -> None:
    config_file.write_text('language = "en"', encoding="utf-8")

    save_device_settings(config_file, DeviceSettings(printer_url="dummy://"))

    assert config_file.read_bytes() == b'language = "en"\nprinter_url = "dummy://"\n'


def test_a_line_starting_with_a_bracket_inside_a_value_spread_over_lines_rewrites_the_file(
    config_file: Path,
) -> None:
    """A line of a multi-line value that starts with "[" (here indented) looks like a table;
    a key added before it would land inside the value, so the file is written afresh."""
    config_file.write_text(
        '# comment\nsurvey_base_url = """\n  [https://survey.example/r/]"""\n',
        encoding="utf-8",
    )

    save_device_settings(config_file, DeviceSettings(printer_url="dummy://"))

    assert config_file.read_bytes() == (
        b'survey_base_url = "  [https://survey.example/r/]"\nprinter_url = "dummy://"\n'
    )
    assert load_settings(data_dir=config_file.parent).printer_url == "dummy://"


@pytest.mark.parametrize(("written", "shown"), [("true", b"true"), ("false", b"false")])
def test_a_file_written_afresh_keeps_true_and_false_as_toml_booleans(
    config_file: Path, written: str, shown: bytes
) -> None:
    config_file.write_text(
        f'printer_url = """\ntcp://192.168.1.50:9100"""\ncustomer_display = {written}\n',
        encoding="utf-8",
    )

    save_device_settings(config_file, DeviceSettings(printer_url="dummy://"))

    assert config_file.read_bytes() == b'printer_url = "dummy://"\ncustomer_display = ' + (
        shown + b"\n"
    )
    assert load_settings(data_dir=config_file.parent).customer_display is (written == "true")


def test_a_delete_character_written_afresh_stays_escaped(config_file: Path) -> None:
    """TOML forbids a raw DEL (0x7f) in a string: a value holding one (written as \\u007f by
    hand) is written back escaped, or the till could not read its own file."""
    config_file.write_text(
        'printer_url = """\ntcp://192.168.1.50:9100"""\n'
        'survey_base_url = "https://survey.example/r\\u007f"\n',
        encoding="utf-8",
    )

    save_device_settings(config_file, DeviceSettings(printer_url="dummy://"))

    assert config_file.read_bytes() == (
        b'printer_url = "dummy://"\nsurvey_base_url = "https://survey.example/r\\u007f"\n'
    )
    assert load_settings(data_dir=config_file.parent).survey_base_url == (
        "https://survey.example/r\x7f"
    )


def test_a_path_in_cyrillic_is_written_as_utf8_not_escaped(config_file: Path) -> None:
    url = "file:///srv/чеки/касса-1.bin"

    save_device_settings(config_file, DeviceSettings(printer_url=url))

    assert config_file.read_bytes() == HAND_WRITTEN.replace("tcp://192.168.1.50:9100", url).encode(
        "utf-8"
    )


def test_the_file_is_read_as_utf8_whatever_the_systems_encoding(config_file: Path) -> None:
    """A till whose system encoding is not UTF-8 (here ASCII, the C locale; cp1251 on a Russian
    Windows till) reads the file as the UTF-8 it is."""
    import locale

    url = "file:///srv/чеки/касса-1.bin"
    config_file.write_text(f'printer_url = "{url}"\n', encoding="utf-8")
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        assert read_device_settings(config_file).settings.printer_url == url
    finally:
        locale.setlocale(locale.LC_CTYPE, before)


def test_a_file_that_is_not_utf8_is_refused_naming_it(config_file: Path) -> None:
    config_file.write_bytes('printer_url = "file:///srv/чеки"\n'.encode("cp1251"))

    for attempt in (
        lambda: read_device_settings(config_file),
        lambda: save_device_settings(config_file, DeviceSettings(printer_url="dummy://")),
    ):
        with pytest.raises(DeviceSettingsError) as caught:
            attempt()
        assert caught.value.code == "devices.config_unreadable"
        assert caught.value.params["path"] == str(config_file)
        assert "can't decode byte 0xf7" in caught.value.params["problem"]


def test_a_folder_where_the_file_should_be_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "till.toml"
    folder.mkdir()

    with pytest.raises(DeviceSettingsError) as caught:
        read_device_settings(folder)

    assert caught.value.code == "devices.config_unreadable"
    assert caught.value.params["path"] == str(folder)
    assert caught.value.params["problem"].startswith("[Errno 21] Is a directory")


def test_a_file_that_is_not_toml_is_refused_naming_it_and_the_line(config_file: Path) -> None:
    config_file.write_text('language = "en"\nprinter_url = "tcp://unfinished\n', encoding="utf-8")

    error = refused(config_file, DeviceSettings(printer_url="dummy://"))

    assert error.params["path"] == str(config_file)
    assert error.params["problem"].startswith("not TOML: ")
    assert "(at line 2, column 32)" in error.params["problem"]


def test_a_control_character_is_named_as_the_problem(config_file: Path) -> None:
    error = refused(config_file, DeviceSettings(printer_url="file:///tmp/a\x07b"))

    assert error.params == {"url": "file:///tmp/a\x07b", "problem": "it holds control characters"}


def test_a_refused_scanner_port_is_named(config_file: Path) -> None:
    if "scanner_url" not in supported_keys():
        pytest.skip("this till's settings have no scanner keys yet")

    def check(port: str) -> None:
        raise ValueError("could not open port")

    error = refused(config_file, DeviceSettings(scanner_url="COM9"), check_scanner=check)

    assert error.code == "devices.invalid_scanner"
    assert error.params == {"port": "COM9", "problem": "could not open port"}
    control = refused(config_file, DeviceSettings(scanner_url="/dev/tty\x1bACM0"))
    assert control.params == {"port": "/dev/tty\x1bACM0", "problem": "it holds control characters"}


def test_spaces_around_the_scanner_port_are_not_saved(config_file: Path) -> None:
    if "scanner_url" not in supported_keys():
        pytest.skip("this till's settings have no scanner keys yet")

    save_device_settings(
        config_file,
        DeviceSettings(printer_url="tcp://192.168.1.50:9100", scanner_url="  /dev/ttyACM0 "),
    )

    assert config_file.read_bytes() == (HAND_WRITTEN + 'scanner_url = "/dev/ttyACM0"\n').encode()
    again = save_device_settings(
        config_file,
        DeviceSettings(printer_url="tcp://192.168.1.50:9100", scanner_url="/dev/ttyACM0  "),
    )
    assert again.changed == ()


@pytest.mark.parametrize("value", [True, False, "6", 6.0, None])
def test_a_scanner_length_that_is_not_a_whole_number_is_refused(
    config_file: Path, value: object
) -> None:
    """Only a whole number (an int, not true/false) is a length, even one the till would
    coerce."""
    if "wedge_min_length" not in supported_keys():
        pytest.skip("this till's settings have no scanner keys yet")

    error = refused(config_file, DeviceSettings(wedge_min_length=value))  # type: ignore[arg-type]

    assert error.code == "devices.out_of_range"
    assert error.params == {"setting": "wedge_min_length", "low": 1, "high": 64, "value": value}


def test_the_ranges_the_screen_offers_are_the_tills() -> None:
    assert setting_range("wedge_max_gap_ms") == (5, 200)
    assert setting_range("wedge_min_length") == (1, 64)


def test_saving_what_the_file_already_says_answers_nothing_changed(config_file: Path) -> None:
    saved = save_device_settings(config_file, DeviceSettings(printer_url="tcp://192.168.1.50:9100"))

    assert saved == SavedDevices(config_file, (), ())
    assert saved.restart_needed


def test_a_save_answers_the_file_it_wrote(config_file: Path) -> None:
    saved = save_device_settings(config_file, DeviceSettings(printer_url="dummy://"))

    assert saved == SavedDevices(config_file, ("printer_url",), ())


def test_saving_through_a_symlink_writes_the_file_it_points_to(tmp_path: Path) -> None:
    """A settings path that is a link (to a file the store's IT manages elsewhere): the link
    stays, the file it names gets the new settings and keeps its permissions."""
    managed = tmp_path / "managed" / "till.toml"
    managed.parent.mkdir()
    managed.write_text(HAND_WRITTEN, encoding="utf-8")
    managed.chmod(0o644)
    link = tmp_path / "config" / "till.toml"
    link.parent.mkdir()
    link.symlink_to(managed)

    save_device_settings(link, DeviceSettings(printer_url="dummy://"))

    assert link.is_symlink() and link.resolve() == managed
    assert managed.read_text(encoding="utf-8") == HAND_WRITTEN.replace(
        "tcp://192.168.1.50:9100", "dummy://"
    )
    assert stat.S_IMODE(managed.stat().st_mode) == 0o644
    assert sorted(p.name for p in link.parent.iterdir()) == ["till.toml"]
    assert sorted(p.name for p in managed.parent.iterdir()) == ["till.toml"]


@pytest.mark.parametrize(
    ("written", "shown"),
    [("45", 45), ('"45"', 45), ("45.0", 45), ('"fast"', 30), ("45.5", 30), ("500", 500)],
)
def test_the_gap_read_is_the_one_the_till_will_use(
    config_file: Path, written: str, shown: int
) -> None:
    """A number written by hand as "45" or 45.0 is 45 to the till, and so on the screen; a value
    the till cannot read as a whole number shows the default (the till will refuse it)."""
    config_file.write_text(f"wedge_max_gap_ms = {written}\n", encoding="utf-8")

    assert read_device_settings(config_file).settings.wedge_max_gap_ms == shown
    if shown != 30 and 5 <= shown <= 200:
        assert load_settings(data_dir=config_file.parent).wedge_max_gap_ms == shown


def test_a_true_length_reads_as_one_as_the_till_reads_it(config_file: Path) -> None:
    config_file.write_text("wedge_min_length = true\n", encoding="utf-8")

    assert read_device_settings(config_file).settings.wedge_min_length == 1
    assert load_settings(data_dir=config_file.parent).wedge_min_length == 1


def test_the_gap_shown_can_be_saved_back_over_a_hand_written_one(config_file: Path) -> None:
    """The bug this rules out: "45" in the file showed as 30, so choosing 30 "changed nothing"
    and the till kept 45."""
    config_file.write_text('wedge_max_gap_ms = "45"\n', encoding="utf-8")

    saved = save_device_settings(config_file, DeviceSettings(wedge_max_gap_ms=30))

    assert saved.changed == ("wedge_max_gap_ms",)
    assert load_settings(data_dir=config_file.parent).wedge_max_gap_ms == 30


# --- a till of another version: fewer keys, other bounds ----------------------------------------


class _TillBeforeScanners(BaseSettings):
    """The device keys of a till from before the scanner settings."""

    printer_url: str = ""


class _TillWithOtherBounds(BaseSettings):
    """A till that bounds the scanner numbers with strict bounds and a step."""

    printer_url: str = ""
    scanner_url: str = "/dev/ttyS0"
    wedge_max_gap_ms: int = Field(default=50, gt=4, lt=201, multiple_of=5)
    wedge_min_length: int = Field(default=6, ge=2, le=48)


def test_a_till_without_scanner_keys_reads_their_defaults_and_refuses_them(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(device_config, "TillSettings", _TillBeforeScanners)

    config = read_device_settings(config_file)

    assert config.supported == {"printer_url"}
    assert config.settings == DeviceSettings(printer_url="tcp://192.168.1.50:9100")
    assert setting_range("wedge_max_gap_ms") == (1, 1000)
    error = refused(config_file, replace(config.settings, scanner_url="/dev/ttyACM0"))
    assert error.code == "devices.unsupported"
    assert error.params == {"setting": "scanner_url"}


def test_the_ranges_and_defaults_follow_the_tills_bounds_however_written(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(device_config, "TillSettings", _TillWithOtherBounds)

    assert setting_range("wedge_max_gap_ms") == (5, 200)  # gt=4, lt=201
    assert setting_range("wedge_min_length") == (2, 48)
    assert read_device_settings(config_file).settings == DeviceSettings(
        printer_url="tcp://192.168.1.50:9100",
        scanner_url="/dev/ttyS0",
        wedge_max_gap_ms=50,
        wedge_min_length=6,
    )


# --- the printer URL as the screen's fields: worked examples ------------------------------------


def test_an_address_without_a_scheme_is_shown_as_the_address() -> None:
    assert split_printer_url(" 192.168.1.50:9100 ") == PrinterFields(address="192.168.1.50:9100")


def test_an_option_whose_value_is_a_url_stays_an_option() -> None:
    fields = split_printer_url("tcp://10.0.0.5:9100?logo=http://shop.example/logo.png?v=2")

    assert fields == PrinterFields(
        kind="tcp", address="10.0.0.5:9100", options="logo=http://shop.example/logo.png?v=2"
    )


def test_an_empty_profile_option_is_the_default_profile_not_an_option() -> None:
    fields = split_printer_url("TCP://10.0.0.5:9100?profile=&codepage=&baudrate=&columns=")

    assert fields == PrinterFields(
        kind="tcp", address="10.0.0.5:9100", options="baudrate=&columns="
    )


def test_a_profile_or_code_page_with_a_slash_is_escaped_in_the_url() -> None:
    url = compose_printer_url(PrinterFields("tcp", "10.0.0.5:9100", "TM/T88V", "CP 866"))

    assert url == "tcp://10.0.0.5:9100?profile=TM%2FT88V&codepage=CP%20866"
    assert split_printer_url(url).profile == "TM/T88V"


def test_stray_separators_around_the_options_are_dropped() -> None:
    fields = PrinterFields("serial", "/dev/ttyUSB0", options=" ?&baudrate=19200&name=TM-T20X& ")

    assert compose_printer_url(fields) == "serial:///dev/ttyUSB0?baudrate=19200&name=TM-T20X"
    assert compose_printer_url(replace(fields, options="X=1")) == "serial:///dev/ttyUSB0?X=1"


def test_a_broken_character_is_refused_not_a_crash(config_file: Path) -> None:
    """Half a character (a lone surrogate, as a broken paste can leave) cannot be written as
    UTF-8: the save is refused as any wrong address is, rather than failing mid-write."""
    error = refused(config_file, DeviceSettings(printer_url="file:///tmp/a\ud800b"))

    assert error.code == "devices.invalid_printer"
    assert error.params["problem"] == "it holds a broken character"


def test_a_first_save_creates_every_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "home" / ".config" / "loyalty-till" / "till.toml"

    save_device_settings(path, DeviceSettings(printer_url="dummy://"))

    assert path.read_bytes() == b'printer_url = "dummy://"\n'


def test_the_temporary_file_goes_beside_the_settings_not_to_the_systems_temp_folder(
    config_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beside the file, so the rename stays on one file system (atomic): here the system's temp
    folder does not even exist."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-temp"))

    save_device_settings(config_file, DeviceSettings(printer_url="dummy://"))

    assert read_device_settings(config_file).settings.printer_url == "dummy://"


def test_the_file_is_written_as_utf8_whatever_the_systems_encoding(config_file: Path) -> None:
    import locale

    url = "file:///srv/чеки/касса-1.bin"
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        save_device_settings(config_file, DeviceSettings(printer_url=url))
    finally:
        locale.setlocale(locale.LC_CTYPE, before)

    assert f'printer_url = "{url}"\n'.encode() in config_file.read_bytes()


def test_a_rename_the_disk_refuses_keeps_the_old_file_and_leaves_no_temporary_file(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)

    error = refused(config_file, DeviceSettings(printer_url="dummy://"))

    assert error.code == "devices.config_unwritable"
    assert error.params == {
        "path": str(config_file),
        "problem": "[Errno 28] No space left on device",
    }


def test_the_problems_the_till_would_start_with_are_listed_one_a_line(config_file: Path) -> None:
    config_file.write_text(HAND_WRITTEN.replace('"en"', '"fr"') + 'colour = "red"\n', "utf-8")

    error = refused(config_file, DeviceSettings(printer_url="dummy://"))

    assert error.params["problems"] == (
        "  language: Value error, language must be 'ru' or 'en'\n"
        "  colour: Extra inputs are not permitted"
    )


def test_a_problem_with_the_settings_as_a_whole_is_named_settings(config_file: Path) -> None:
    config_file.write_text('mode = "production"\n', encoding="utf-8")

    error = refused(config_file, DeviceSettings(printer_url="dummy://"))

    assert error.params["problems"] == (
        "  settings: Value error, card_secret_hex is the demo secret; a production till needs"
        " its program's secret"
    )
