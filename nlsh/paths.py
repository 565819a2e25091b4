"""Where nlsh keeps its files. NLSH_HOME moves all of them under one directory."""

from __future__ import annotations

import os
from pathlib import Path


def _place(kind: str) -> Path:
    """NLSH_HOME/<kind>, else the platform's usual place for that kind (platformdirs, imported
    only when needed: it is not free at start-up)."""
    home = os.environ.get("NLSH_HOME")
    if home:
        return Path(home).expanduser() / kind
    import platformdirs

    finder = {"data": platformdirs.user_data_dir, "config": platformdirs.user_config_dir,
              "cache": platformdirs.user_cache_dir}[kind]
    return Path(finder("nlsh"))


def data_dir() -> Path:
    return _place("data")


def config_dir() -> Path:
    return _place("config")


def cache_dir() -> Path:
    return _place("cache")


def config_file() -> Path:
    return config_dir() / "config.toml"


def history_db() -> Path:
    return data_dir() / "history.db"
