"""Showing untrusted text on a terminal: output that cannot drive the terminal, and command
lines whose hidden or look-alike characters are spelled out, so a person sees what will run."""

from __future__ import annotations

import re
import unicodedata

from .shell_risk.lookalike import (
    BIDI_CONTROLS, CONFUSABLES, char_label, is_fullwidth, is_hidden, lookalike_reason, mixed_word_spans,
)

# Colour changes (SGR) only change colour: dropping them loses nothing a person must see.
_SGR = re.compile(r"\x1b\[[0-9;:]*m")


def escape_char(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # a byte that was not UTF-8 (surrogateescape)
    if code < 0x100:
        return {"\r": "\\r", "\x1b": "\\x1b"}.get(char, f"\\x{code:02x}")
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _drives_terminal(char: str) -> bool:
    if char in "\n\t":
        return False
    return char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs")


def neutralize(text: str) -> str:
    """`text` with colour codes removed and every other escape sequence, control character and
    bidi control spelled out (\\x1b, \\u202e); newlines and tabs stay."""
    text = _SGR.sub("", text)
    if text.isascii() and text.isprintable():
        return text
    return "".join(escape_char(c) if _drives_terminal(c) else c for c in text)


def _command_name_spans(command: str) -> list[tuple[int, int]]:
    """Character spans of command names, found by parsing (best effort on broken lines)."""
    from .shell_risk.parsing import parse

    try:
        data = command.encode("utf-8")
    except UnicodeEncodeError:
        return []
    tree = parse(command)
    spans = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "command_name":
            start = len(data[: node.start_byte].decode("utf-8", "replace"))
            end = len(data[: node.end_byte].decode("utf-8", "replace"))
            spans.append((start, end))
        stack.extend(node.children)
    return spans


def _flagged_positions(command: str) -> set[int]:
    flagged = {i for i, c in enumerate(command) if is_hidden(c)}
    if command.isascii():
        return flagged
    for start, end in mixed_word_spans(command):
        flagged.update(i for i in range(start, end) if command[i] in CONFUSABLES or is_fullwidth(command[i]))
    for start, end in _command_name_spans(command):
        flagged.update(i for i in range(start, end) if not command[i].isascii())
    return flagged


def reveal(command: str) -> str:
    """The command with suspicious characters written as escapes (\\u200b, \\u043e, \\x1b)."""
    if command.isascii() and command.isprintable():
        return command
    flagged = _flagged_positions(command)
    return "".join(escape_char(c) if i in flagged else c for i, c in enumerate(command))


def suspicious(command: str) -> list[str]:
    """Short phrases naming what `reveal` spelled out, in order; empty for a plain command."""
    if command.isascii() and command.isprintable():
        return []
    found: list[str] = []
    for index, char in enumerate(command):
        if is_hidden(char):
            found.append(f"invisible or control character {char_label(char)} at position {index}")
    for start, end in mixed_word_spans(command):
        word = command[start:end]
        how = "uses fullwidth letters" if any(is_fullwidth(c) for c in word) else \
            "mixes look-alike letters from other scripts"
        found.append(f"{word!r} {how}")
    for start, end in _command_name_spans(command):
        reason = lookalike_reason(command[start:end])
        if reason:
            found.append(f"command name {command[start:end]!r} {reason}")
    return list(dict.fromkeys(found))
