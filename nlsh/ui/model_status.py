"""The REPL's model: loaded on first need behind a spinner, each call behind a spinner, and known to
be ready once a call has finished (a local model reads its weights on the first call), for the
toolbar. It stands in for the model itself: the session sees the same interface."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any, Callable


class WatchedModel:
    def __init__(self, load: Callable[[], Any], configured_name: str, console: Any):
        self._load = load
        self._model: Any = None
        self._configured_name = configured_name
        self.console = console
        self.ready = False

    @property
    def name(self) -> str:
        return self._model.name if self._model is not None else self._configured_name

    def _spinner(self, message: str) -> Any:
        if not self.console.is_terminal:
            return nullcontext()
        return self.console.status(message, spinner="dots")

    def model(self) -> Any:
        if self._model is None:
            with self._spinner(f"loading {self._configured_name}…"):
                self._model = self._load()
        return self._model

    @property
    def tool_profile(self) -> str:
        return getattr(self.model(), "tool_profile", "full")

    def complete(self, prompt: Any) -> str:
        model = self.model()
        message = "thinking…" if self.ready else f"starting {model.name} and thinking…"
        with self._spinner(message):
            reply = model.complete(prompt)
        self.ready = True
        return reply

    def __getattr__(self, attribute: str) -> Any:  # anything else the kernel asks of its model
        return getattr(self.model(), attribute)
