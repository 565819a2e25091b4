"""What a running tool may use. Everything a tool touches outside its arguments comes through here,
so tests can give it a temp directory, a pipe, or no stdin at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO


class ToolError(Exception):
    """A tool failed in a way the person should read (no traceback)."""


@dataclass
class ToolContext:
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)
    stdin: BinaryIO | None = None  # piped data for the step that reads it; None on a terminal
    stdout_fd: int | None = None  # where a streaming step may write its output directly
    store: Any = None  # the history store, when history is on
    sandbox: bool = False
    clearance: Any = None  # jail.Clearance the policy gave the running step; None: no jail (outside a session)
    journal: Any = None  # the undo journal of the current request

    def resolve(self, path: str | Path) -> Path:
        p = Path(path).expanduser()
        return p if p.is_absolute() else self.cwd / p


@dataclass
class Result:
    """A tool's typed result. `rows` render as a table (terminal), TSV (pipe) or JSON (--json);
    `text` is printed as is. `streamed` means the output already went to stdout while running."""

    rows: list[dict[str, Any]] | None = None
    text: str | None = None
    exit_code: int = 0
    streamed: bool = False
    error: str | None = None
    stderr: str | None = None  # the end of a command's error output (it was also shown as it came)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and self.error is None

    @classmethod
    def of(cls, value: Any) -> "Result":
        if isinstance(value, Result):
            return value
        if value is None:
            return cls()
        if isinstance(value, str):
            return cls(text=value)
        if isinstance(value, dict):
            return cls(rows=[value])
        if isinstance(value, list):
            return cls(rows=[v if isinstance(v, dict) else {"value": v} for v in value])
        return cls(text=str(value))

    def summary(self, limit: int = 2000) -> str:
        """A compact excerpt for the model (observe rounds) and for the history."""
        if self.error:
            body = f"error: {self.error}"
        elif self.rows is not None:
            import json

            body = "\n".join(json.dumps(r, ensure_ascii=False, default=str) for r in self.rows[:50])
            if len(self.rows) > 50:
                body += f"\n... {len(self.rows) - 50} more rows"
        else:
            body = self.text or ""
        return body if len(body) <= limit else body[:limit] + f"\n... ({len(body) - limit} more characters)"
