"""The plan: nlsh's public format. `{"steps": [{"tool": NAME, "args": {...}}], "observe": false,
"answer": "..."}`. `observe: true` means the model must see the results before planning more;
`answer` is a short message for the person (used when a request needs no step)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any


class PlanError(ValueError):
    """The model's reply is not a plan."""


@dataclass
class Step:
    tool: str
    args: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"tool": self.tool, "args": self.args}
        if self.reason:
            data["reason"] = self.reason
        return data


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    observe: bool = False
    answer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"steps": [s.to_dict() for s in self.steps]}
        if self.observe:
            data["observe"] = True
        if self.answer:
            data["answer"] = self.answer
        return data

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Any) -> "Plan":
        if not isinstance(data, dict):
            raise PlanError("a plan is a JSON object with a 'steps' list")
        if "steps" not in data and isinstance(data.get("tool"), str):
            data = {"steps": [data]}  # small models often answer with the bare step
        if "steps" not in data and not isinstance(data.get("answer"), str):
            raise PlanError("a plan needs a 'steps' list (or an 'answer' when nothing is to be done)")
        raw_steps = data.get("steps", [])
        if not isinstance(raw_steps, list):
            raise PlanError("'steps' must be a list")
        steps = []
        for i, raw in enumerate(raw_steps, 1):
            if not isinstance(raw, dict) or not isinstance(raw.get("tool"), str):
                raise PlanError(f"step {i} must be an object with a 'tool' name")
            args = raw.get("args", {})
            if args is None:
                args = {}
            if not isinstance(args, dict):
                raise PlanError(f"step {i}: 'args' must be an object")
            reason = raw.get("reason")
            steps.append(Step(raw["tool"], args, reason if isinstance(reason, str) else None))
        answer = data.get("answer")
        return cls(steps, data.get("observe") is True, answer if isinstance(answer, str) else None)

    @classmethod
    def from_json(cls, text: str) -> "Plan":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PlanError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
        return cls.from_dict(data)


_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*\n(.*?)```", re.S)
_SHELL_LANGS = {"", "bash", "sh", "shell", "console", "zsh"}


def _first_json_object(text: str) -> Any | None:
    """The first complete JSON object in text (models sometimes wrap it in prose or a fence)."""
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    return None


def shell_command_from_reply(text: str, bare: bool = True) -> str | None:
    """A shell command line from a free-text reply: the first shell code block, else (when `bare`)
    the text itself when it is a single line."""
    for match in _FENCE.finditer(text):
        if match.group(1).lower() in _SHELL_LANGS:
            body = "\n".join(line[2:] if line.startswith("$ ") else line for line in match.group(2).strip().splitlines())
            return body.strip() or None
    if not bare:
        return None
    stripped = text.strip().strip("`").strip()
    if stripped.startswith("$ "):
        stripped = stripped[2:]
    if stripped and "\n" not in stripped:
        return stripped
    return None


def parse_reply(text: str, *, allow_shell: bool, bare_shell: bool = True) -> Plan:
    """Turn a model reply into a plan: plan JSON first; else a shell command line when the shell tool
    is offered (it becomes a single shell step, classified by parsing like any other). A bare line
    counts only from a model that was asked for a command line (`bare_shell`); from the others only a
    fenced code block does, so a sentence of prose never becomes a command."""
    stripped = text.strip()
    if not stripped:
        raise PlanError("the model gave an empty reply")
    if stripped.startswith("{") or stripped.startswith("```json"):
        obj = _first_json_object(stripped)
        if obj is None:
            raise PlanError("the reply looks like JSON but does not parse")
        return Plan.from_dict(obj)
    if allow_shell:
        command = shell_command_from_reply(stripped, bare_shell)
        if command:
            return Plan([Step("shell", {"command": command})])
    obj = _first_json_object(stripped)
    if obj is not None and "steps" in obj:
        return Plan.from_dict(obj)
    raise PlanError("the reply is neither a plan nor a shell command")
