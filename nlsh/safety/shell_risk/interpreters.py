"""Commands that run code given as text: sh -c, eval, trap, alias, source, python, ..."""

from __future__ import annotations

from ..risk import Risk
from .env import Env
from .options import parse_options
from .registry import command_name, handles
from .tables import INTERPRETERS, SHELLS
from .words import Word


@handles(*SHELLS)
def shell(argv: list[Word], env: Env) -> None:
    name = command_name(argv)
    opts = parse_options(argv[1:], with_value="oO", long_with_value=("--rcfile", "--init-file"),
                         stop_at_operand=True)
    if opts.has("c"):
        if not opts.operands or opts.operands[0].value is None:
            env.add(Risk.UNKNOWN, f"{name} -c runs a command built at run time")
        else:
            env.run_text(opts.operands[0].value)
    elif opts.operands and not opts.has("s"):
        env.add(Risk.UNKNOWN, f"{name} runs the script {opts.operands[0].text}, which nlsh cannot check")
    else:
        env.add(Risk.UNKNOWN, f"{name} runs commands read from its input")


@handles("eval")
def eval_(argv: list[Word], env: Env) -> None:
    words = argv[1:]
    if any(w.value is None or w.glob for w in words):
        env.add(Risk.UNKNOWN, "eval runs text built at run time")
        return
    env.run_text(" ".join(w.value or "" for w in words))  # eval joins its words with spaces


@handles("trap")
def trap(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], stop_at_operand=True)
    if opts.has("lp") or not opts.operands or opts.operands[0].value in ("-", ""):
        return
    action = opts.operands[0]
    if action.value is None:
        env.add(Risk.UNKNOWN, "trap sets a command built at run time")
    else:
        env.run_text(action.value)


@handles("alias")
def alias(argv: list[Word], env: Env) -> None:
    if any(w.value is None or "=" in w.value for w in argv[1:]):
        env.add(Risk.UNKNOWN, "alias changes what later command names mean")


@handles("source", ".")
def source(argv: list[Word], env: Env) -> None:
    shown = argv[1].text if len(argv) > 1 else "a file"
    env.add(Risk.UNKNOWN, f"{command_name(argv)} runs the script {shown}, which nlsh cannot check")


@handles(*INTERPRETERS)
def interpreter(argv: list[Word], env: Env) -> None:
    name = command_name(argv)
    if len(argv) == 2 and argv[1].value in ("--version", "-V", "-v", "version"):
        return
    env.add(Risk.UNKNOWN, f"{name} runs code nlsh cannot check")
