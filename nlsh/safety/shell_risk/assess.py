"""assess_command: the risk of a command line, from parsing its exact text."""

from __future__ import annotations

import os
from pathlib import Path

from ..risk import Assessment, Risk
from .dispatch import classify_argv
from .env import Env, Findings
from .lookalike import char_label, hidden_characters, mixed_words, looks_like
from .walker import assess_text

# Nobody reviews a longer line; refusing it also bounds the time spent on it.
MAX_COMMAND_CHARS = 64 * 1024


def checked_text(command: str | bytes) -> tuple[str, str | None]:
    """The command as text, and why it cannot be checked (not UTF-8, NUL, too long) if so."""
    if isinstance(command, bytes):
        try:
            command = command.decode("utf-8")
        except UnicodeDecodeError:
            return "", "the command is not valid UTF-8"
    try:
        command.encode("utf-8")
    except UnicodeEncodeError:
        return "", "the command is not valid UTF-8"
    if "\x00" in command:
        return "", "the command contains a NUL byte"
    if len(command) > MAX_COMMAND_CHARS:
        return "", f"the command is {len(command)} characters long, too long to check"
    return command, None


def assess_command(command: str | bytes, cwd: Path) -> Assessment:
    """Class, reasons and target paths of a shell command line run in `cwd`. Never raises."""
    text, problem = checked_text(command)
    if problem:
        return Assessment(Risk.UNKNOWN, (problem,))
    findings = Findings()
    env = Env(Path(os.path.abspath(cwd)), Path(os.path.abspath(Path.home())), findings,
              recurse=assess_text, classify=classify_argv)
    _check_characters(env, text)
    try:
        assess_text(env, text)
    except RecursionError:
        findings.add(Risk.UNKNOWN, "the command line is nested too deeply to check")
    return findings.assessment()


def _check_characters(env: Env, text: str) -> None:
    if text.isascii() and text.isprintable():
        return
    for _, char in hidden_characters(text)[:3]:
        env.add(Risk.UNKNOWN, f"contains the invisible or control character {char_label(char)}")
    for word in mixed_words(text)[:3]:
        env.add(Risk.UNKNOWN, f"{word} mixes look-alike letters from other scripts (looks like {looks_like(word)})")
