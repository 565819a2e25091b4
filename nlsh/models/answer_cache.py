"""Replies already computed, by prompt key: in memory, and in a small directory on disk so a second
one-shot process with the same request in the same context does not even load the model."""

from __future__ import annotations

import os
from pathlib import Path


class AnswerCache:
    def __init__(self, directory: Path | None, capacity: int = 200):
        self.directory = directory
        self.capacity = capacity
        self._memory: dict[str, str] = {}

    def _file(self, key: str) -> Path | None:
        return self.directory / f"{key}.txt" if self.directory else None

    def get(self, key: str) -> str | None:
        if key in self._memory:
            return self._memory[key]
        path = self._file(key)
        if path is None:
            return None
        try:
            value = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        self._memory[key] = value
        return value

    def put(self, key: str, value: str) -> None:
        self._memory[key] = value
        path = self._file(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename: a reader (or a Ctrl-C) never sees half a reply.
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(value, encoding="utf-8")
            os.replace(tmp, path)
            self._prune()
        except OSError:
            pass  # a cache that cannot be written is only slower

    def _prune(self) -> None:
        assert self.directory is not None
        files = list(self.directory.glob("*.txt"))
        if len(files) <= self.capacity:
            return
        files.sort(key=lambda p: p.stat().st_mtime)
        for old in files[: len(files) - self.capacity]:
            old.unlink(missing_ok=True)
