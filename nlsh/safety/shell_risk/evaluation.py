"""Bash constructs that evaluate text: arithmetic (which expands variables' values as expressions,
array subscripts and their command substitutions included), indirection (${!x}), prompt
expansion (${x@P}), name references (declare -n), integer variables (declare -i), `test -v`, and
backquotes nested in backquotes (their text is parsed again). What they run is decided at run time
by text nlsh cannot see, so a line using them on anything but a known number is `unknown`."""

from __future__ import annotations

import re

from tree_sitter import Node

from ..risk import Risk
from .env import Env
from .parsing import node_text

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ARITHMETIC_TESTS = frozenset("-eq -ne -lt -le -gt -ge".split())
EVALUATING = frozenset("arithmetic_expansion compound_statement test_command expansion subscript "
                       "command_substitution declaration_command c_style_for_statement".split())
# ${name:offset:length}: both are arithmetic (the ${x:-default} family is not).
_SUBSTRING = re.compile(r"\$\{#?[A-Za-z_][A-Za-z0-9_]*(?:\[[^]]*\])?:(?![-=?+])(.*)\}$", re.DOTALL)


def check_evaluation(env: Env, node: Node) -> None:
    kind = node.type
    text = node_text(node)
    if kind == "arithmetic_expansion" or (kind == "compound_statement" and text.startswith("((")):
        _arithmetic(env, node, "arithmetic")
    elif kind == "c_style_for_statement":
        counter = re.match(r"for\s*\(\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*\d+\s*;", text)
        if counter:  # for ((i = 0; ...)): i starts as a number
            env.numbers.add(counter.group(1))
        for child in node.named_children:
            if child.type != "do_group":
                _arithmetic(env, child, "a for (( )) loop")
    elif kind == "subscript":
        for child in node.named_children[1:]:
            if node_text(child) not in ("@", "*"):  # all the elements: nothing is evaluated
                _arithmetic(env, child, "an array subscript")
    elif kind == "test_command":
        _test_command(env, node)
    elif kind == "expansion":
        _expansion(env, node, text)
    elif kind == "command_substitution" and text.startswith("`") and "\\`" in text:
        env.add(Risk.UNKNOWN, "backquotes inside backquotes: their text is parsed again at run time")
    elif kind == "declaration_command":
        _declaration(env, node)


def _arithmetic(env: Env, node: Node, where: str) -> None:
    """Every name or expansion in an arithmetic context is evaluated as an expression."""
    stack = [node]
    while stack:
        part = stack.pop()
        kind = part.type
        if kind in ("variable_name", "word"):
            name = node_text(part)
            if kind == "word" and not _NAME.fullmatch(name) and not name.isdigit():
                env.add(Risk.UNKNOWN, f"{where} evaluates {name!r} at run time")
            elif not name.isdigit() and name not in env.numbers:
                env.add(Risk.UNKNOWN, f"{where} evaluates the value of {name} as an expression "
                                      "(it could hold an array subscript that runs a command)")
            continue
        if kind in ("command_substitution", "process_substitution"):
            continue  # classified as commands of their own
        stack.extend(part.named_children)


def _test_command(env: Env, node: Node) -> None:
    for part in node.named_children:
        if part.type == "binary_expression":
            operator = next((c for c in part.children if c.type == "test_operator"), None)
            if operator is not None and node_text(operator) in _ARITHMETIC_TESTS:
                for operand in part.named_children:
                    if operand is not operator:
                        _arithmetic(env, operand, f"[[ {node_text(operator)} ]]")
        elif part.type == "unary_expression" and node_text(part).startswith("-v"):
            env.add(Risk.UNKNOWN, "[[ -v ]] evaluates an array subscript at run time")


def _expansion(env: Env, node: Node, text: str) -> None:
    if text.startswith("${!") and not re.fullmatch(r"\$\{![A-Za-z_][A-Za-z0-9_]*(\[[@*]\]|[@*])\}", text):
        env.add(Risk.UNKNOWN, f"{text} reads a variable whose name is chosen at run time")
    elif text.endswith("@P}"):
        env.add(Risk.UNKNOWN, f"{text} expands its value like a prompt (command substitutions run)")
    else:
        substring = _SUBSTRING.match(text)
        names = [n for n in _NAME.findall(substring.group(1)) if n not in env.numbers] if substring else []
        if names:
            env.add(Risk.UNKNOWN, f"{text} evaluates {names[0]} as an arithmetic offset at run time")


def _declaration(env: Env, node: Node) -> None:
    for word in node.children:
        flag = node_text(word)
        if word.type == "word" and flag.startswith(("-", "+")) and set(flag[1:]) & set("ni"):
            kind = "name references" if "n" in flag[1:] else "integer variables"
            env.add(Risk.UNKNOWN, f"{node_text(node.children[0])} {flag}: {kind} evaluate text at run time")
