"""Builtins that set variables by name (printf -v, read, mapfile) or evaluate arithmetic (let),
and test's -v: a name that changes what programs do is checked however it is set, and a name with
a subscript is evaluated as arithmetic (which can run a command substitution)."""

from __future__ import annotations

import re

from ..risk import Risk
from .assignments import check_assignment
from .env import Env
from .options import parse_options
from .read_options import check_read_options
from .registry import command_name, handles
from .words import Word

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def check_set_name(env: Env, who: str, word: Word) -> None:
    """`who` assigns to the variable named by `word`."""
    name = word.value
    if name is None or not _NAME.fullmatch(name):
        env.add(Risk.UNKNOWN, f"{who} assigns to {word.text}, which bash evaluates at run time")
        return
    check_assignment(env, name)
    env.numbers.discard(name)


@handles("printf")
def printf(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="v", stop_at_operand=True)
    for target in opts.values.get("-v", []):
        check_set_name(env, "printf -v", target)


@handles("read")
def read(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="adinNptu")
    for target in opts.values.get("-a", []) + opts.operands:
        check_set_name(env, "read", target)


@handles("mapfile", "readarray")
def mapfile(argv: list[Word], env: Env) -> None:
    name = command_name(argv)
    check_read_options(env, name, argv)
    opts = parse_options(argv[1:], with_value="dnOsuCc")
    for target in opts.operands[:1]:
        check_set_name(env, name, target)


@handles("let")
def let(argv: list[Word], env: Env) -> None:
    names = {m for w in argv[1:] for m in _NAME.findall(w.value or "$")}
    unknown = [w.text for w in argv[1:] if w.value is None]
    for name in sorted(names):
        if name not in env.numbers:
            unknown.append(name)
    if unknown:
        env.add(Risk.UNKNOWN, f"let evaluates {unknown[0]} as an expression at run time")


@handles("test", "[")
def test(argv: list[Word], env: Env) -> None:
    words = argv[1:]
    for index, word in enumerate(words[:-1]):
        if word.value == "-v":
            operand = words[index + 1]
            if operand.value is None or not _NAME.fullmatch(operand.value):
                env.add(Risk.UNKNOWN, f"{command_name(argv)} -v {operand.text} evaluates a subscript at run time")
