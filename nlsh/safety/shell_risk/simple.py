"""simple_commands: the literal argv of every simple command, for allow rules and typed tools."""

from __future__ import annotations

from tree_sitter import Node

from .assess import checked_text
from .parsing import has_syntax_error, parse, reading
from .redirects import redirect_destination, redirect_operator
from .walker import command_words

# Anything else (redirections to files, substitutions, assignments, functions, loops, subshells)
# changes what the argv alone would do, so a rule about the argv must not match it.
_ALLOWED = frozenset("program list pipeline command command_name word raw_string string string_content "
                     "number concatenation ansi_c_string comment redirected_statement file_redirect "
                     "file_descriptor".split())


def _harmless_redirect(node: Node) -> bool:
    """2>/dev/null and 2>&1 only hide or merge output."""
    op = redirect_operator(node)
    dest = redirect_destination(node)
    if dest is None:
        return False
    if op in (">&", "<&") and (dest.value or "").isdigit():
        return True
    return op in (">", "&>", ">>", "&>>") and dest.value == "/dev/null"


def simple_commands(command: str | bytes) -> list[list[str]] | None:
    """The argv of each simple command in order when every word is a literal (after quote
    removal, no $, globs, braces or ~); None otherwise, or when the line does not parse."""
    text, problem = checked_text(command)
    if problem:
        return None
    tree = parse(text)
    if has_syntax_error(tree):
        return None
    with reading(text):
        return _literal_argvs(tree.root_node)


def _literal_argvs(root: Node) -> list[list[str]] | None:
    result: list[list[str]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_named and node.type not in _ALLOWED:
            return None
        if node.type == "file_redirect":
            if not _harmless_redirect(node):
                return None
            continue
        if node.type == "command":
            words = command_words(node)
            if words is None or not all(w.literal for w in words):
                return None
            result.append([w.value or "" for w in words])
        stack.extend(reversed(node.children))
    return result
