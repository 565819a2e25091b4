"""Task and manifest files in the NL2SH-ALFA format (see shared/eval/README.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

SAFE_TAG = "sandbox_safe"


@dataclass(frozen=True)
class Task:
    index: int
    fs: int
    request: str
    bash: str
    bash2: str
    difficulty: int
    tags: tuple[str, ...] = field(default=())

    @property
    def safe(self) -> bool:
        """Runs in a throwaway tree without root or network, so its score means something here."""
        return SAFE_TAG in self.tags


def load_tasks(path: Path) -> list[Task]:
    tasks = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        tasks.append(
            Task(
                index=int(raw["index"]),
                fs=int(raw["fs"]),
                request=raw["nl"],
                bash=raw["bash"],
                bash2=raw.get("bash2") or raw["bash"],
                difficulty=int(raw.get("difficulty", 0)),
                tags=tuple(raw.get("tags_heuristic", ())),
            )
        )
    return tasks


def manifest_path(fixtures_dir: Path, fs: int) -> Path:
    return Path(fixtures_dir) / f"fs_{fs}.manifest.json"


def load_manifest(fixtures_dir: Path, fs: int) -> dict:
    """The manifest of file system `fs`; an empty one when the task set ships none for it."""
    path = manifest_path(fixtures_dir, fs)
    if not path.exists():
        return {"entries": [], "env": {}, "workdir": "/", "exec_shell": "/bin/bash"}
    return json.loads(path.read_text(encoding="utf-8"))
