"""What a classifier needs while it walks one command line: where it runs, and what it found."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..risk import Assessment, Risk
from .words import Word, is_placeholder, path_text

MAX_REASONS = 20  # a line of 10 000 unknown commands should not make a 10 000 line preview


@dataclass
class Findings:
    """Accumulates the worst class seen, reasons (deduplicated, in order) and target paths."""

    risk: Risk = Risk.READ
    reasons: dict[str, None] = field(default_factory=dict)
    targets: dict[str, None] = field(default_factory=dict)

    def add(self, risk: Risk, reason: str, targets: Iterable[str | None] = ()) -> None:
        self.risk = max(self.risk, risk)
        if len(self.reasons) < MAX_REASONS:
            self.reasons.setdefault(reason, None)
        for target in targets:
            if target is not None:
                self.targets.setdefault(target, None)

    def assessment(self) -> Assessment:
        return Assessment(self.risk, tuple(self.reasons), tuple(self.targets))


@dataclass
class Env:
    """State while classifying: the working directory (None once a `cd` we cannot follow ran),
    the home directory, recursion depth for `bash -c`/`eval`, and defined shell functions."""

    cwd: Path | None
    home: Path
    findings: Findings
    depth: int = 0
    functions: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)  # variables this line set to a literal number
    # Set by the walker: classify a nested command line (bash -c '...', eval, trap) ...
    recurse: Callable[["Env", str], None] | None = None
    # ... and a command given as words (sudo rm x, find -exec rm {} ;, xargs rm).
    classify: Callable[["Env", list[Word]], None] | None = None

    def add(self, risk: Risk, reason: str, targets: Iterable[str | None] = ()) -> None:
        self.findings.add(risk, reason, targets)

    def nested(self) -> "Env":
        """A child shell: same findings, own cwd and functions, one level deeper."""
        return Env(self.cwd, self.home, self.findings, self.depth + 1, set(self.functions),
                   set(self.numbers), self.recurse, self.classify)

    def run_text(self, text: str) -> None:
        """Classify a command line that another command runs (bash -c TEXT)."""
        assert self.recurse is not None
        self.recurse(self.nested(), text)

    def run_argv(self, argv: list[Word]) -> None:
        """Classify a command that another command runs (sudo ARGV...)."""
        assert self.classify is not None
        if argv:
            self.classify(self, argv)

    # --- paths -------------------------------------------------------------------------
    def resolve(self, path: str | None) -> Path | None:
        """An absolute path for `path` as the shell would see it here, when that is known."""
        if path is None:
            return None
        if path == "~" or path.startswith("~/"):
            full = str(self.home) + path[1:]
        elif path.startswith("/"):
            full = path
        elif self.cwd is None:
            return None
        else:
            full = os.path.join(self.cwd, path)
        return Path(os.path.normpath(full)) if full else None

    def resolve_word(self, word: Word) -> Path | None:
        return self.resolve(path_text(word))

    def target_of(self, word: Word) -> str | None:
        """How to list a word among `targets`: absolute when known, else as written."""
        if is_placeholder(word):
            return None
        resolved = self.resolve_word(word)  # a glob stays a pattern, anchored at cwd
        return str(resolved) if resolved is not None else word.text

    def exists(self, word: Word) -> bool | None:
        """Whether the path exists now; None when we cannot tell (run-time word, glob, cd)."""
        if word.glob:
            return None
        resolved = self.resolve_word(word)
        if resolved is None or str(resolved) in self.findings.targets:
            return None  # an earlier command of this line changes it: what it will be is unknown
        try:
            return os.path.lexists(resolved)
        except (OSError, ValueError):
            return None
