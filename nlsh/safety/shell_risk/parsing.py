"""The one place that talks to tree-sitter: a cached bash parser."""

from __future__ import annotations

from functools import lru_cache

from tree_sitter import Language, Node, Parser, Tree


@lru_cache(maxsize=1)
def _parser() -> Parser:
    # Loading the grammar costs a few milliseconds; every later parse reuses it.
    import tree_sitter_bash

    return Parser(Language(tree_sitter_bash.language()))


def parse(text: str) -> Tree:
    """Parse `text` (already checked to be valid UTF-8 without NUL) as bash."""
    return _parser().parse(text.encode("utf-8"))


def node_text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")


def has_syntax_error(tree: Tree) -> bool:
    """ERROR and MISSING nodes both mean bash would read the line differently from us."""
    return tree.root_node.has_error
