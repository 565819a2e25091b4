"""Tab completion in the REPL: past requests for English, command names and paths for `!` command
lines, paths wherever the word being typed looks like one. Paths are relative to the session's
directory (which `cd` changes), not nlsh's own."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Iterable

from prompt_toolkit.completion import Completer, Completion, PathCompleter
from prompt_toolkit.document import Document

BUILTINS = ("cd", "export", "unset", "source", "alias", "echo", "printf", "pwd", "type", "exit")


def _looks_like_path(word: str) -> bool:
    return "/" in word or word.startswith((".", "~"))


class ReplCompleter(Completer):
    def __init__(self, cwd: Callable[[], Path], past: Callable[[], Iterable[str]]):
        self.cwd = cwd
        self.past = past
        self.paths = PathCompleter(get_paths=lambda: [str(self.cwd())], expanduser=True)
        self._commands: list[str] | None = None

    def get_completions(self, document: Any, complete_event: Any) -> Iterable[Any]:
        text = document.text_before_cursor
        word = document.get_word_before_cursor(WORD=True)
        if text.lstrip().startswith("!"):
            words_before = text.lstrip()[1:].split()
            if len(words_before) <= 1 and not text.endswith(" ") and not _looks_like_path(word):
                yield from self._command_names(word.lstrip("!"))
                return
            yield from self._path_completions(word, complete_event)
            return
        if text.strip():
            yield from self._past_requests(text)
        if word and _looks_like_path(word):
            yield from self._path_completions(word, complete_event)

    def _past_requests(self, text: str) -> Iterable[Any]:
        typed = text.lower()
        seen = set()
        for request in self.past():
            if request.lower().startswith(typed) and request != text and request not in seen:
                seen.add(request)
                yield Completion(request, start_position=-len(text), display_meta="asked before")

    def _path_completions(self, word: str, complete_event: Any) -> Iterable[Any]:
        yield from self.paths.get_completions(Document(word), complete_event)

    def _command_names(self, prefix: str) -> Iterable[Any]:
        for name in self.commands():
            if name.startswith(prefix):
                yield Completion(name, start_position=-len(prefix))

    def commands(self) -> list[str]:
        """Builtins and the executables on PATH, read once."""
        if self._commands is None:
            names = set(BUILTINS)
            for folder in os.environ.get("PATH", "").split(os.pathsep):
                try:
                    with os.scandir(folder or ".") as entries:
                        names.update(e.name for e in entries if os.access(e.path, os.X_OK) and not e.is_dir())
                except OSError:
                    continue
            self._commands = sorted(names)
        return self._commands
