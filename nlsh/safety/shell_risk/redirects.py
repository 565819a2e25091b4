"""Redirections: > and >| overwrite, >> appends, < reads; /dev/tcp is the network."""

from __future__ import annotations

from tree_sitter import Node

from ..risk import Risk
from .env import Env
from .paths import device_kind
from .words import Word, path_text, word_from_node
from .writes import note_write

_WRITING = {">": False, ">|": False, "&>": False, ">>": True, "&>>": True, "<>": True}


def redirect_operator(node: Node) -> str:
    for child in node.children:
        if not child.is_named:
            return (child.text or b"").decode("utf-8", "replace")
    return ""


def redirect_destination(node: Node) -> Word | None:
    dest = node.child_by_field_name("destination")
    return word_from_node(dest) if dest is not None else None


def classify_file_redirect(node: Node, env: Env, inputs: list[Word]) -> None:
    """`inputs` are the words of the command it belongs to, for `sort f > f`."""
    op = redirect_operator(node)
    dest = redirect_destination(node)
    if dest is None:
        return
    if op in (">&", "<&") and (dest.value or "").rstrip("-").isdigit():
        return  # 2>&1, >&2, 3<&0- : only file descriptors
    if op == ">&":
        op = "&>"  # `>& file` is the old spelling of &>
    if op in _WRITING:
        if not _WRITING[op] and dest.value is not None and any(w.value == dest.value for w in inputs):
            env.add(Risk.DESTRUCTIVE, f"{op} empties {dest.text} before the command reads it",
                    [env.target_of(dest)])
        note_write(env, op, dest, append=_WRITING[op])
        return
    path = path_text(dest)
    if path is not None and device_kind(path) == "network":
        env.add(Risk.NETWORK, f"{op} reads from a network connection ({path})")
