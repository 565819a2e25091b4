"""A deterministic model that replays queued replies: `--model scripted:PATH`, where PATH is a JSON
list of plans (objects) or raw replies (strings), one consumed per model call. When the list is used
up it answers that the request is done. Tests use it; people use it to replay a plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nlsh.models.base import ModelError, Prompt

DONE = {"steps": [], "answer": "done"}


class ScriptedModel:
    tool_profile = "full"

    def __init__(self, replies: list[Any], name: str = "scripted"):
        self.name = name
        self._replies = list(replies)
        self.prompts: list[Prompt] = []  # what the model was shown, for tests
        self.samples: list[list[str]] = []  # sampled alternatives, one list consumed per ask (kernel/select.py)

    @classmethod
    def from_path(cls, path: str | Path) -> "ScriptedModel":
        p = Path(path).expanduser()
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ModelError(f"cannot read the script {p}: {exc.strerror}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ModelError(f"the script {p} is not valid JSON: {exc}") from None
        if not isinstance(data, list):
            data = [data]
        return cls(data, name=f"scripted:{p}")

    def enqueue(self, *replies: Any) -> None:
        self._replies.extend(replies)

    def complete(self, prompt: Prompt) -> str:
        self.prompts.append(prompt)
        reply = self._replies.pop(0) if self._replies else DONE
        return reply if isinstance(reply, str) else json.dumps(reply)

    def alternatives(self, prompt: Prompt, count: int) -> list[str]:
        return self.samples.pop(0)[:count] if self.samples else []
