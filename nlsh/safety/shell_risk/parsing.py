"""The one place that talks to tree-sitter: a cached bash parser.

tree-sitter-bash 0.25.1 can crash the process (SIGSEGV) on some non-ASCII characters: its
scanner hands code points to C ctype functions (tree-sitter/tree-sitter-bash#337; found here by
the property tests with `{` followed by U+10BF0C). So the parser only ever sees ASCII: each
non-ASCII character is replaced by as many `x` bytes as its UTF-8 encoding has. Byte offsets stay
the same, and node_text() reads the original bytes back. Bash treats those bytes as word
characters just like `x`, so the shape of the tree does not change.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Iterator

from tree_sitter import Language, Node, Parser, Tree

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# The original bytes of the line being walked; nested lines (bash -c '...') push their own.
_SOURCE: ContextVar[bytes | None] = ContextVar("nlsh_shell_source", default=None)


@lru_cache(maxsize=1)
def _parser() -> Parser:
    # Loading the grammar costs a few milliseconds; every later parse reuses it.
    import tree_sitter_bash

    return Parser(Language(tree_sitter_bash.language()))


def ascii_stand_in(text: str) -> bytes:
    """`text` as UTF-8 with every non-ASCII character replaced by x's of the same byte length."""
    if text.isascii():
        return text.encode("ascii")
    return _NON_ASCII.sub(lambda m: "x" * len(m.group().encode("utf-8")), text).encode("ascii")


def parse(text: str) -> Tree:
    """Parse `text` (already checked to be valid UTF-8 without NUL) as bash."""
    return _parser().parse(ascii_stand_in(text))


@contextmanager
def reading(text: str) -> Iterator[None]:
    """While walking the tree of `text`, node_text() returns its real characters."""
    token = _SOURCE.set(text.encode("utf-8"))
    try:
        yield
    finally:
        _SOURCE.reset(token)


def node_text(node: Node) -> str:
    source = _SOURCE.get()
    raw = source[node.start_byte:node.end_byte] if source is not None else (node.text or b"")
    return raw.decode("utf-8", errors="replace")


def has_syntax_error(tree: Tree) -> bool:
    """ERROR and MISSING nodes both mean bash would read the line differently from us."""
    return tree.root_node.has_error
