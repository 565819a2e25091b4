"""The one interface every model backend implements. The kernel never asks which backend it has."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


class ModelError(Exception):
    """A model could not be loaded or reached; the message tells the person what to do."""


class ModelTimeout(ModelError):
    pass


class ReplyCutOff(ModelError):
    """The reply stopped at the token limit. A cut-off reply is never run: a truncated shell command
    can mean something else than the whole one would have. The kernel treats it as a bad plan."""


@dataclass(frozen=True)
class ToolSpec:
    """A tool as the model sees it."""

    name: str
    description: str
    parameters: dict[str, Any]  # JSON schema derived from the function signature
    risk: str


@dataclass
class Prompt:
    """What one model call sees. `system` is the fixed prefix: byte-identical between calls for the
    same tool table, so backends can reuse its KV cache."""

    system: str
    messages: list[dict[str, str]] = field(default_factory=list)
    tools: list[ToolSpec] = field(default_factory=list)
    max_tokens: int = 400

    def key(self) -> str:
        import hashlib
        import json

        blob = json.dumps([self.system, self.messages], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()


@runtime_checkable
class Model(Protocol):
    name: str
    # "full": the model plans against the whole typed tool table (good tool callers).
    # "shell": the model writes one shell command line; nlsh parses it (what small models do best).
    tool_profile: str

    def complete(self, prompt: Prompt) -> str:
        """Return the model's raw reply: plan JSON, or a shell command for the "shell" profile."""
        ...
