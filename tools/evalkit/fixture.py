"""Materialise a fixture manifest (dirs, files from text/base64, modes, mtimes) under a root directory."""

from __future__ import annotations

import base64
import calendar
import hashlib
import os
import time
from pathlib import Path


class FixtureError(ValueError):
    pass


def parse_mode(value) -> int:
    """Modes come as '0o644' strings (or plain ints); keep the special bits (sticky, setuid)."""
    if isinstance(value, int):
        return value
    text = str(value).lower().removeprefix("0o")
    return int(text, 8)


def parse_mtime(value, now: float) -> float:
    """null means 'when the image was built', i.e. the run's common `now`; else a UTC ISO time."""
    if value is None:
        return now
    return float(calendar.timegm(time.strptime(str(value).rstrip("Z"), "%Y-%m-%dT%H:%M:%S")))


def entry_bytes(entry: dict) -> bytes:
    if "base64" in entry:
        return base64.b64decode(entry["base64"])
    return str(entry.get("text", "")).encode("utf-8")


def host_path(root: Path, manifest_path: str) -> Path:
    relative = manifest_path.lstrip("/")
    if not relative or ".." in Path(relative).parts:
        raise FixtureError(f"refusing fixture path {manifest_path!r}")
    return Path(root) / relative


def materialise(manifest: dict, root: Path, now: float) -> None:
    """Create every entry under `root`. Modes and mtimes are applied after all content exists,
    deepest first, so writing a child does not bump its directory's mtime afterwards and a
    read-only directory does not block its own children."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    entries = sorted(manifest.get("entries", []), key=lambda e: e["path"])
    for entry in entries:
        path = host_path(root, entry["path"])
        path.parent.mkdir(parents=True, exist_ok=True)
        kind = entry.get("type")
        if kind == "dir":
            path.mkdir(exist_ok=True)
        elif kind == "file":
            data = entry_bytes(entry)
            expected = entry.get("sha256")
            if expected and hashlib.sha256(data).hexdigest() != expected:
                raise FixtureError(f"{entry['path']}: content does not match its sha256")
            path.write_bytes(data)
        elif kind == "symlink":
            os.symlink(entry["target"], path)
        else:
            raise FixtureError(f"{entry['path']}: unknown entry type {kind!r}")
    for entry in sorted(entries, key=lambda e: e["path"].count("/"), reverse=True):
        path = host_path(root, entry["path"])
        if entry.get("type") == "symlink":
            continue
        os.chmod(path, parse_mode(entry.get("mode", "0o644")))
        stamp = parse_mtime(entry.get("mtime"), now)
        os.utime(path, (stamp, stamp))
