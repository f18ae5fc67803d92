"""The till's device settings in its TOML file: read them, and save the changed ones.

The file is the one ``TillSettings`` reads (``pos_client.config.default_config_file()``);
its other keys, comments and order are kept. Before anything is written the new values are
checked the way the till will check them when it starts (``TillSettings`` itself) and more:
the printer URL must parse (``hardware.parse_printer_url``, or the stricter check passed in),
the numbers must be in range. A refusal is a ``DeviceSettingsError`` and changes nothing. The
file is replaced atomically (a temporary file beside it, fsync'd, then ``os.replace``), so a
till that loses power mid-save keeps the old file or the new one, never half of each.

The till reads its settings once, at start: saved settings apply after a restart. An
``LOYALTY_TILL_*`` variable overrides the file; ``SavedDevices.env_overrides`` names those.

No Qt, and no device driver is imported here (the settings screen imports these values).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import annotated_types
from pydantic import TypeAdapter, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from hardware.errors import PrinterConfigError
from hardware.printer_config import parse_printer_url
from loyalty_core.errors import DomainError
from pos_client.config import TillSettings

# The widest a number may be; the bounds TillSettings gives the field narrow it.
_RANGES = {"wedge_max_gap_ms": (1, 1000), "wedge_min_length": (1, 128)}
_ENV_PREFIX = "LOYALTY_TILL_"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # half a character: cannot be written as UTF-8
_WHOLE_NUMBER = TypeAdapter(int)  # lax, as TillSettings reads the file


# --- refusals -----------------------------------------------------------------------------------


class DeviceSettingsError(DomainError):
    code = "devices.refused"
    template = "The device settings were not saved."


class InvalidPrinterSettingError(DeviceSettingsError):
    code = "devices.invalid_printer"
    template = "The printer address {url} cannot work: {problem}. Nothing was saved."


class InvalidScannerPortError(DeviceSettingsError):
    code = "devices.invalid_scanner"
    template = "The scanner port {port} cannot work: {problem}. Nothing was saved."


class DeviceNumberOutOfRangeError(DeviceSettingsError):
    code = "devices.out_of_range"
    template = "{setting} must be from {low} to {high}, not {value}. Nothing was saved."


class UnsupportedDeviceSettingError(DeviceSettingsError):
    code = "devices.unsupported"
    template = "This version of the till has no setting {setting}. Nothing was saved."


class DeviceSettingsRefusedError(DeviceSettingsError):
    code = "devices.settings_invalid"
    template = "With these values the till would not start:\n{problems}\nNothing was saved."


class ConfigFileUnreadableError(DeviceSettingsError):
    code = "devices.config_unreadable"
    template = "The settings file {path} cannot be read ({problem}); fix it first."


class ConfigFileUnwritableError(DeviceSettingsError):
    code = "devices.config_unwritable"
    template = "The settings file {path} cannot be written ({problem}). Nothing was saved."


# --- values -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeviceSettings:
    """The keys of ``TillSettings`` the device settings screen edits, by the same names."""

    printer_url: str = ""
    scanner_url: str = ""
    wedge_max_gap_ms: int = 30
    wedge_min_length: int = 4


DEVICE_KEYS = tuple(f.name for f in fields(DeviceSettings))


@dataclass(frozen=True, slots=True)
class DeviceConfig:
    """What the file holds now (defaults for keys it lacks), and what this till can set."""

    path: Path
    settings: DeviceSettings
    supported: frozenset[str]  # keys this version's TillSettings knows; the others are shown off
    env_overrides: tuple[str, ...]  # keys a LOYALTY_TILL_* variable overrides at start


@dataclass(frozen=True, slots=True)
class SavedDevices:
    path: Path
    changed: tuple[str, ...]  # () when nothing differed from the file: it was not touched
    env_overrides: tuple[str, ...]  # changed keys that a variable overrides: they will not apply
    restart_needed: bool = True  # always, when something changed: settings are read at start


# --- read and save ------------------------------------------------------------------------------


def setting_range(key: str) -> tuple[int, int]:
    """The lowest and highest value of a numeric device setting, as TillSettings bounds it."""
    low, high = _RANGES[key]
    field = TillSettings.model_fields.get(key)
    for bound in field.metadata if field is not None else ():
        if isinstance(bound, annotated_types.Ge) and isinstance(bound.ge, int):
            low = max(low, bound.ge)
        elif isinstance(bound, annotated_types.Gt) and isinstance(bound.gt, int):
            low = max(low, bound.gt + 1)
        elif isinstance(bound, annotated_types.Le) and isinstance(bound.le, int):
            high = min(high, bound.le)
        elif isinstance(bound, annotated_types.Lt) and isinstance(bound.lt, int):
            high = min(high, bound.lt - 1)
    return low, high


def supported_keys() -> frozenset[str]:
    return frozenset(key for key in DEVICE_KEYS if key in TillSettings.model_fields)


def read_device_settings(path: Path) -> DeviceConfig:
    """The device settings the till will use at its next start (as far as the file says)."""
    document = _load(path)
    supported = supported_keys()
    defaults = DeviceSettings()
    values: dict[str, Any] = {}
    for key in DEVICE_KEYS:
        default = getattr(defaults, key)
        if key in supported:
            default = TillSettings.model_fields[key].default
        value = document.get(key, default)
        if isinstance(default, str):
            values[key] = str(value)
        else:
            values[key] = _as_whole_number(value, default)
    settings = replace(defaults, **values)
    return DeviceConfig(path, settings, supported, _overridden(DEVICE_KEYS))


def _as_whole_number(value: Any, default: int) -> int:
    """A number as the till reads it ("45", 45.0: 45; true: 1); one it cannot read as a whole
    number (it will refuse it) is shown as the default."""
    try:
        return _WHOLE_NUMBER.validate_python(value)
    except ValidationError:
        return default


def save_device_settings(
    path: Path,
    settings: DeviceSettings,
    *,
    check_printer: Callable[[str], object] = parse_printer_url,
    check_scanner: Callable[[str], object] | None = None,
) -> SavedDevices:
    """Write the keys of ``settings`` that differ from the file; refuse, writing nothing, if a
    value is wrong. ``check_printer`` raises PrinterConfigError (``open_printer`` also checks
    the profile and code page); ``check_scanner`` raises ValueError for a port it cannot use."""
    settings = _normalised(settings)
    target = path.resolve() if path.is_symlink() else path
    if target.exists() and not target.is_file():  # a device or a pipe: never read nor replaced
        raise ConfigFileUnwritableError(path=str(path), problem="it is not a regular file")
    document = _load(path)
    current = read_device_settings(path).settings
    changed = {
        key: getattr(settings, key)
        for key in DEVICE_KEYS
        if getattr(settings, key) != getattr(current, key)
    }
    if not changed:
        return SavedDevices(path, (), ())
    supported = supported_keys()
    for key, value in changed.items():
        if key not in supported:
            raise UnsupportedDeviceSettingError(setting=key)
        _check(key, value, check_printer, check_scanner)
    updated = {**document, **changed}
    _validate_as_at_start(updated)
    text = _edited(_read_text(path), document, changed)
    _write_atomically(path, text)
    return SavedDevices(path, tuple(changed), _overridden(changed))


def _normalised(settings: DeviceSettings) -> DeviceSettings:
    return replace(
        settings,
        printer_url=settings.printer_url.strip(),
        scanner_url=settings.scanner_url.strip(),
    )


def _check(
    key: str,
    value: Any,
    check_printer: Callable[[str], object],
    check_scanner: Callable[[str], object] | None,
) -> None:
    if key in _RANGES:
        low, high = setting_range(key)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise DeviceNumberOutOfRangeError(setting=key, low=low, high=high, value=value)
    problem = _field_problem(key, value)
    if key == "printer_url":
        problem = problem or _address_problem(value, check_printer, PrinterConfigError)
        if problem is not None:
            raise InvalidPrinterSettingError(url=value, problem=problem)
    elif key == "scanner_url":
        problem = problem or _address_problem(value, check_scanner, ValueError)
        if problem is not None:
            raise InvalidScannerPortError(port=value, problem=problem)
    elif problem is not None:
        raise DeviceSettingsRefusedError(problems=f"  {key}: {problem}")


def _address_problem(
    value: str, check: Callable[[str], object] | None, refusal: type[Exception]
) -> str | None:
    """Why a printer URL or scanner port cannot work ("" is none: nothing to check)."""
    if not value:
        return None
    if _CONTROL.search(value):
        return "it holds control characters"
    if _SURROGATE.search(value):
        return "it holds a broken character"
    if check is not None:
        try:
            check(value)
        except refusal as error:
            return str(error)
    return None


class _FromValuesOnly(TillSettings):
    """TillSettings checking only the values given (no environment, no file)."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


class _AtStart(TillSettings):
    """TillSettings as the till will build them at its next start: the environment over the
    file's new content (given as the values)."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (env_settings, init_settings)


def _field_problem(key: str, value: Any) -> str | None:
    """What TillSettings says of this one value, or None when it takes it."""
    try:
        _FromValuesOnly(**{key: value})
    except ValidationError as error:
        return "; ".join(str(problem["msg"]) for problem in error.errors())
    return None


def _validate_as_at_start(document: Mapping[str, Any]) -> None:
    try:
        _AtStart(**document)
    except ValidationError as error:
        problems = "\n".join(
            f"  {'.'.join(str(p) for p in problem['loc']) or 'settings'}: {problem['msg']}"
            for problem in error.errors()
        )
        raise DeviceSettingsRefusedError(problems=problems) from None


def _overridden(keys: Iterable[str]) -> tuple[str, ...]:
    variables = {name.upper() for name in os.environ}
    return tuple(key for key in keys if (_ENV_PREFIX + key).upper() in variables)


# --- the file -----------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigFileUnreadableError(path=str(path), problem=str(error)) from None


def _load(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as error:
        raise ConfigFileUnreadableError(path=str(path), problem=f"not TOML: {error}") from None


def _edited(text: str, document: Mapping[str, Any], changed: Mapping[str, Any]) -> str:
    """``text`` with each changed key's line rewritten (or added before the first table),
    everything else as it was; if that does not read back as intended (a value spread over
    lines, a key spelt oddly), the whole file is written afresh from its values instead."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    first_table = next(
        (i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines)
    )
    for key, value in changed.items():
        line = f"{key} = {_toml_value(value)}\n"
        pattern = re.compile(rf"\s*(?:{key}|\"{key}\"|'{key}')\s*=")
        found = next((i for i in range(first_table) if pattern.match(lines[i])), None)
        if found is None:
            lines.insert(first_table, line)
            first_table += 1
        else:
            lines[found] = line
    edited = "".join(lines)
    wanted = {**document, **changed}
    try:
        if tomllib.loads(edited) == wanted:
            return edited
    except tomllib.TOMLDecodeError:
        pass
    return "".join(f"{key} = {_toml_value(value)}\n" for key, value in wanted.items())


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise DeviceSettingsRefusedError(problems=f"  a value of type {type(value).__name__}")


def _write_atomically(path: Path, text: str) -> None:
    target = path.resolve() if path.is_symlink() else path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o600
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _sync_folder(target.parent)
    except OSError as error:
        raise ConfigFileUnwritableError(path=str(path), problem=str(error)) from None


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows cannot open a folder, and needs not."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# --- a printer URL as the screen's fields -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PrinterFields:
    """A printer URL taken apart the way the settings screen shows it.

    ``kind`` is the scheme (``tcp``, ``serial``, ``usb``, ``file``, ``dummy``; "" for no
    printer), ``address`` what follows ``://``; ``profile``, ``codepage`` and ``columns`` are
    the URL's options of those names ("" / None: not given, the default applies), ``options``
    every other option as written (``baudrate=19200&timeout=5``).
    """

    kind: str = ""
    address: str = ""
    profile: str = ""
    codepage: str = ""
    columns: int | None = None
    options: str = ""


def split_printer_url(url: str) -> PrinterFields:
    url = url.strip()
    if not url:
        return PrinterFields()
    scheme, separator, rest = url.partition("://")
    if not separator:
        return PrinterFields(address=url)
    address, _, query = rest.partition("?")
    found: dict[str, str] = {}
    others: list[str] = []
    for part in filter(None, query.split("&")):
        pairs = parse_qsl(part, keep_blank_values=True)
        key, value = pairs[0] if pairs else (part, "")
        if (key in ("profile", "codepage") and key not in found) or (
            key == "columns" and key not in found and value.isdigit()
        ):
            found[key] = value
        else:
            others.append(part)
    columns = found.get("columns")
    return PrinterFields(
        kind=scheme.lower(),
        address=address,
        profile=found.get("profile", ""),
        codepage=found.get("codepage", ""),
        columns=int(columns) if columns is not None else None,
        options="&".join(others),
    )


def compose_printer_url(printer: PrinterFields) -> str:
    """The URL for these fields; "" when ``kind`` is "" (no printer)."""
    if not printer.kind:
        return ""
    named = (("profile", printer.profile.strip()), ("codepage", printer.codepage.strip()))
    query = [
        f"{key}={quote(value, safe='-_.~')}"
        for key, value in named
        if value and not (key == "profile" and value == "default")
    ]
    if printer.columns is not None:
        query.append(f"columns={printer.columns}")
    options = printer.options.strip().strip("&?")
    if options:
        query.append(options)
    url = f"{printer.kind}://{printer.address.strip()}"
    return f"{url}?{'&'.join(query)}" if query else url
