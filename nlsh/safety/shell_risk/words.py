"""Shell words as the shell would see them after quote removal, or None when only run time knows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from .ansi_c import decode_ansi_c
from .parsing import node_text

# Unquoted characters that make the shell turn one word into others (globs).
_GLOB = re.compile(r"(?<!\\)[*?\[]")
# Brace expansion needs a comma or a range between the braces; `{}` alone stays literal.
_BRACES = re.compile(r"(?<!\\)\{[^{}]*(,|\.\.)[^{}]*(?<!\\)\}")
_BACKSLASH = re.compile(r"\\(\n|.)", re.DOTALL)
# Inside double quotes a backslash only escapes these characters.
_DQ_BACKSLASH = re.compile(r'\\([$`"\\\n])')


@dataclass(frozen=True)
class Word:
    """One shell word. `value` is None when it depends on run time ($x, $(...), ...)."""

    text: str  # exactly as written
    value: str | None
    glob: bool = False  # unquoted *, ?, [...] or {a,b}: the shell turns it into other words

    @property
    def tilde(self) -> bool:
        """An unquoted leading ~ (the home directory); only unquoted text can start with it."""
        return self.text.startswith("~")

    @property
    def literal(self) -> bool:
        """The shell passes exactly `value`, whatever the environment."""
        return self.value is not None and not self.glob and not self.tilde


def placeholder(text: str) -> Word:
    """A word that stands for something only known at run time (xargs input, find's {})."""
    return Word("{" + text + "}", None)


def is_placeholder(word: Word) -> bool:
    # A real shell word starting with { is literal or a brace pattern, so it has a value.
    return word.value is None and word.text.startswith("{")


def word_from_node(node: Node) -> Word:
    text = node_text(node)
    parts: list[str] = []
    unquoted: list[str] = []
    known = _collect(node, parts, unquoted)
    raw_unquoted = "".join(unquoted)
    glob = bool(_GLOB.search(raw_unquoted) or _BRACES.search(raw_unquoted))
    return Word(text, "".join(parts) if known else None, glob)


def _collect(node: Node, parts: list[str], unquoted: list[str]) -> bool:
    kind = node.type
    if kind in ("word", "number"):
        raw = node_text(node)
        unquoted.append(raw)
        parts.append(_BACKSLASH.sub(lambda m: "" if m.group(1) == "\n" else m.group(1), raw))
        return True
    if kind == "raw_string":
        parts.append(node_text(node)[1:-1])
        return True
    if kind == "ansi_c_string":
        parts.append(decode_ansi_c(node_text(node)[2:-1]))
        return True
    if kind in ("string", "translated_string"):
        return _collect_double_quoted(node, parts)
    if kind == "concatenation":
        known = True
        for child in node.children:
            known = _collect(child, parts, unquoted) and known
        return known
    return False  # expansions, substitutions, arrays: only run time knows


def _collect_double_quoted(node: Node, parts: list[str]) -> bool:
    for child in node.children:
        if child.type == "string_content":
            parts.append(_DQ_BACKSLASH.sub(lambda m: "" if m.group(1) == "\n" else m.group(1), node_text(child)))
        elif child.is_named:
            return False
    return True


_HOME_PREFIX = re.compile(r'^("?)\$(HOME|\{HOME\})\1(?=/|$)')


def path_text(word: Word) -> str | None:
    """The path a word names, with `~` kept for the home directory; None if run time decides."""
    if word.value is not None:
        if word.tilde and not word.text.startswith("~/") and word.text != "~":
            return None  # ~user: another user's home
        return word.value
    match = _HOME_PREFIX.match(word.text)
    rest = word.text[match.end():] if match else ""
    if match and not re.search(r"[$`'\"*?\[\\]", rest):
        return "~" + rest
    return None
