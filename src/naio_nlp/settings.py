"""Crawl settings from TOML: the packaged defaults, a user's file over them, flags over both.

The defaults live in ``settings.toml`` beside this module (edited as data,
read at run time), as trafilatura keeps its ``settings.cfg``. A user's file
overrides them key by key; an unknown key or a value of the wrong type is a
:class:`~naio_nlp.errors.ConfigError` naming the key and the file, so a typo
never silently keeps a default.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields
from importlib import resources
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import ConfigError
from .fetch import CrawlSettings

__all__ = ["DEFAULT_SETTINGS", "load_settings"]

#: The packaged defaults (a file inside the installed package).
DEFAULT_SETTINGS = "settings.toml"

_TYPES: dict[str, tuple[type, ...]] = {
    f.name: ((int, float) if f.type == "float" else (bool,) if f.type == "bool" else (int,))
    if f.type in ("float", "bool", "int")
    else (str,)
    for f in fields(CrawlSettings)
}
_TYPE_NAMES = {"float": "a number", "int": "an integer", "bool": "true or false", "str": "a string"}


def _read(text: str, where: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML ({exc})") from None
    unknown_tables = sorted(set(data) - {"crawl"})
    if unknown_tables:
        raise ConfigError(
            f"{where}: unknown table or key {unknown_tables[0]!r}; settings go under [crawl]"
        )
    crawl = data.get("crawl", {})
    if not isinstance(crawl, dict):
        raise ConfigError(f"{where}: 'crawl' must be a table ([crawl])")
    for key, value in crawl.items():
        if key not in _TYPES:
            known = ", ".join(sorted(_TYPES))
            raise ConfigError(f"{where}: unknown key [crawl] {key!r}; known keys: {known}")
        kind = next(f.type for f in fields(CrawlSettings) if f.name == key)
        # bool is an int in Python; a setting wanting a number must not take true/false
        wrong_bool = isinstance(value, bool) and kind != "bool"
        if wrong_bool or not isinstance(value, _TYPES[key]):
            raise ConfigError(
                f"{where}: [crawl] {key} = {value!r} must be {_TYPE_NAMES[str(kind)]}"
            )
    return dict(crawl)


def load_settings(config: Path | str | None = None, **overrides: Any) -> CrawlSettings:
    """Crawl settings: packaged defaults, then ``config`` (a TOML file), then ``overrides``.

    ``overrides`` are :class:`~naio_nlp.fetch.CrawlSettings` field names
    (what command-line flags set); None values are ignored. Raises
    :class:`~naio_nlp.errors.ConfigError` naming the file and key at fault.
    """
    packaged = resources.files("naio_nlp").joinpath(DEFAULT_SETTINGS)
    values = _read(packaged.read_text(encoding="utf-8"), f"packaged {DEFAULT_SETTINGS}")
    where = "command-line options"
    if config is not None:
        path = Path(config)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{path}: no such settings file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the settings file ({exc})") from None
        values.update(_read(text, str(path)))
        where = str(path)
    unknown = sorted(set(overrides) - set(_TYPES))
    if unknown:
        raise ConfigError(f"load_settings: unknown setting {unknown[0]!r}")
    values.update({k: v for k, v in overrides.items() if v is not None})
    values["user_agent"] = str(values["user_agent"]).replace("{version}", __version__)
    try:
        return CrawlSettings(**values)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
