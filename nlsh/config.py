"""nlsh's settings, in layers: defaults, then the TOML file (`nlsh config path`), then environment
variables, then command-line flags. Each effective value remembers which layer set it, so
`nlsh config` can say why a setting is what it is.

    model = "openai/gpt-4o-mini"
    api_base = "http://gpu-box:8000/v1"
    timeout = 60
    history = true
    sandbox = false
    repack = "off"       # llama.cpp weight repacking: off, auto (probed once per CPU), on (NLSH_REPACK)
    levers = ["verify"]  # accuracy levers: retrieval, grounding, verify, select, options; [] is `--fast`
    allow = ["tool:list_directory", "command:git status", "class:read"]

    [models."openai/gpt-4o-mini"]   # per-model options, passed to the backend
    temperature = 0.2
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from nlsh import paths
from nlsh.kernel.levers import DEFAULT as DEFAULT_LEVERS
from nlsh.kernel.levers import parse as parse_levers
from nlsh.safety.risk import Risk

ENV_VARIABLES = {"model": "NLSH_MODEL", "api_base": "NLSH_API_BASE", "repack": "NLSH_REPACK",
                 "levers": "NLSH_LEVERS"}
ALLOW_KINDS = ("tool", "command", "class")
DEFAULT = "default"


class ConfigError(ValueError):
    """The config file (or a flag) holds something nlsh cannot use; the message names file and line."""


@dataclass
class Config:
    model: str | None = None
    api_base: str | None = None
    timeout: float = 60.0
    models: dict[str, dict] = field(default_factory=dict)
    allow: list[str] = field(default_factory=list)
    history: bool = True
    sandbox: bool = False
    repack: str = "off"  # llama.cpp weight repacking: off, auto (probed once per CPU), on (models/repack.py)
    levers: list[str] = field(default_factory=lambda: list(DEFAULT_LEVERS))
    sources: dict[str, str] = field(default_factory=dict)

    def model_options(self, model: str | None = None) -> dict:
        """The per-model options for `model` (default: the effective model)."""
        return dict(self.models.get(model or self.model or "", {}))

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "sources"}


SETTINGS = tuple(f.name for f in fields(Config) if f.name != "sources")


def _check(key: str, value: Any) -> Any:
    """The value in the type the setting wants; raises ValueError with what is wrong."""
    if key in ("model", "api_base"):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{key} must be a non-empty string")
        return value.strip()
    if key == "timeout":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise ValueError("timeout must be a number of seconds greater than 0")
        return float(value)
    if key in ("history", "sandbox"):
        if not isinstance(value, bool):
            raise ValueError(f"{key} must be true or false")
        return value
    if key == "allow":
        if not isinstance(value, list):
            raise ValueError("allow must be a list of rules like \"tool:list_directory\"")
        for rule in value:
            kind, sep, rest = rule.partition(":") if isinstance(rule, str) else ("", "", "")
            if not sep or kind not in ALLOW_KINDS or not rest.strip():
                raise ValueError(f"allow rule {rule!r} must look like KIND:VALUE with KIND one of {', '.join(ALLOW_KINDS)}")
            if kind == "class":
                Risk.parse(rest)  # a misspelt class would silently allow nothing
        return list(value)
    if key == "repack":
        from nlsh.models.repack import check_setting

        return check_setting(value if isinstance(value, str) else repr(value))
    if key == "levers":
        return list(parse_levers(value))
    if key == "models":
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise ValueError("models must hold one table of options per model, e.g. [models.\"openai/gpt-4o-mini\"]")
        return {name: dict(options) for name, options in value.items()}
    raise ValueError(f"unknown setting {key!r} (known: {', '.join(SETTINGS)})")


def _line_of(text: str, key: str) -> int | None:
    """The line where a top-level key or a [models...] table is written (TOML parsers do not say)."""
    pattern = r"^\s*\[\s*models\b" if key == "models" else rf"^\s*[\"']?{re.escape(key)}[\"']?\s*="
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(pattern, line):
            return number
    return None


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = getattr(exc, "lineno", None)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        if line is None and found:
            line = int(found.group(1))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", getattr(exc, "msg", message))
        location = f"{path}:{line}" if line else str(path)
        raise ConfigError(f"{location}: not valid TOML: {message}") from None


def read_file(path: Path) -> dict[str, Any]:
    """The settings in the config file, checked; {} when there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc}") from None
    settings = {}
    for key, value in _parse_toml(text, path).items():
        try:
            settings[key] = _check(key, value)
        except ValueError as exc:
            line = _line_of(text, key)
            raise ConfigError(f"{path}:{line}: {exc}" if line else f"{path}: {exc}") from None
    return settings


def load_config(env: Mapping[str, str] = os.environ, overrides: dict | None = None) -> Config:
    """The effective settings. `overrides` holds command-line flags (None means "not given")."""
    config = Config()
    config.sources = {key: DEFAULT for key in SETTINGS}

    def apply(key: str, value: Any, source: str) -> None:
        setattr(config, key, value)
        config.sources[key] = source

    path = paths.config_file()
    for key, value in read_file(path).items():
        apply(key, value, f"file {path}")
    for key, variable in ENV_VARIABLES.items():
        value = env.get(variable, "").strip()
        if value:  # an empty variable counts as unset, as in most shells' conventions
            try:
                apply(key, _check(key, value), f"env {variable}")
            except ValueError as exc:
                raise ConfigError(f"{variable}: {exc}") from None
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        flag = "--" + key.replace("_", "-")
        try:
            apply(key, _check(key, value), f"flag {flag}")
        except ValueError as exc:
            raise ConfigError(f"{flag}: {exc}") from None
    return config
