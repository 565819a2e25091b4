"""Commands that run another command: sudo, env, nice, timeout, xargs, ... The inner command is
classified as if it stood alone, and the wrapper adds its own risk (sudo: SYSTEM)."""

from __future__ import annotations

from ..risk import Risk
from .assignments import check_assignment
from .env import Env
from .options import parse_options
from .registry import command_name, handles
from .words import Word, placeholder
from .writes import note_write

# wrapper -> (short options taking a value, long options taking a value)
_PLAIN = {
    "nice": ("n", ("--adjustment",)),
    "nohup": ("", ()),
    "setsid": ("", ()),
    "unbuffer": ("", ()),
    "chronic": ("", ()),
    "builtin": ("", ()),
    "coproc": ("", ()),
    "busybox": ("", ()),
    "stdbuf": ("ioe", ("--input", "--output", "--error")),
    "ionice": ("cnp", ("--class", "--classdata", "--pid")),
    "exec": ("a", ()),
    "caffeinate": ("tw", ()),
}
_ROOT = {
    "sudo": ("ugCDhprtUT", ("--user", "--group", "--chdir", "--host", "--prompt", "--role", "--type",
                            "--other-user", "--close-from", "--command-timeout")),
    "doas": ("uC", ()),
    "pkexec": ("", ("--user",)),
    "run0": ("uDg", ("--user", "--group", "--chdir", "--unit", "--description", "--property")),
}


@handles(*_PLAIN)
def plain_wrapper(argv: list[Word], env: Env) -> None:
    short, long = _PLAIN[command_name(argv)]
    opts = parse_options(argv[1:], with_value=short, long_with_value=long, stop_at_operand=True)
    env.run_argv(opts.operands)


@handles(*_ROOT)
def run_as_root(argv: list[Word], env: Env) -> None:
    name = command_name(argv)
    short, long = _ROOT[name]
    opts = parse_options(argv[1:], with_value=short, long_with_value=long, stop_at_operand=True)
    if opts.has("e", "--edit"):
        env.add(Risk.SYSTEM, f"{name} -e edits files as root", [env.target_of(w) for w in opts.operands])
        return
    inner = opts.operands
    shown = command_name(inner) if inner else "a shell"
    env.add(Risk.SYSTEM, f"{name} runs {shown} as root")
    env.run_argv(inner)


@handles("su")
def su(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="cgGsw", long_with_value=("--command", "--shell", "--group"))
    env.add(Risk.SYSTEM, "su runs commands as another user (root)")
    script = opts.value("-c", "--command")
    if script is not None:
        _run_script(env, "su -c", script)


def _run_script(env: Env, who: str, script: Word) -> None:
    if script.value is None:
        env.add(Risk.UNKNOWN, f"{who} runs a command built at run time")
    else:
        env.run_text(script.value)


@handles("env")
def env_(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="uCS", long_with_value=("--unset", "--chdir", "--split-string"),
                         stop_at_operand=True)
    split = opts.value("-S", "--split-string")
    if split is not None:
        _run_script(env, "env -S", split)
    rest = list(opts.operands)
    while rest and rest[0].value is not None and "=" in rest[0].value:
        name = rest.pop(0).value.partition("=")[0]  # type: ignore[union-attr]
        check_assignment(env, name)
    if opts.value("-C", "--chdir") is not None:
        env.cwd = None  # later relative paths of the inner command are elsewhere
    env.run_argv(rest)


@handles("timeout")
def timeout(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="sk", long_with_value=("--signal", "--kill-after"),
                         stop_at_operand=True)
    env.run_argv(opts.operands[1:])  # the first operand is the duration


@handles("time")
def time_(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="fo", long_with_value=("--format", "--output"),
                         stop_at_operand=True)
    output = opts.value("-o", "--output")
    if output is not None:
        note_write(env, "time -o", output, append=opts.has("a", "--append"))
    env.run_argv(opts.operands)


@handles("command")
def command(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], stop_at_operand=True)
    if not opts.has("vV"):
        env.run_argv(opts.operands)  # `command -v x` only looks x up


@handles("xargs")
def xargs(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="adEILnPs",
                         long_with_value=("--arg-file", "--delimiter", "--max-args", "--max-procs",
                                          "--max-lines", "--replace", "--max-chars", "--eof"),
                         stop_at_operand=True)
    inner = opts.operands or [Word("echo", "echo")]
    # The inner command also gets words read from input: an argument nobody can see yet.
    env.run_argv(inner + [placeholder("names read from input")])


@handles("flock")
def flock(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="wEc", long_with_value=("--timeout", "--conflict-exit-code",
                                                                      "--command"), stop_at_operand=True)
    script = opts.value("-c", "--command")
    if script is not None:
        _run_script(env, "flock -c", script)
    env.run_argv(opts.operands[1:])


@handles("watch")
def watch(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="nq", long_with_value=("--interval", "--differences"),
                         stop_at_operand=True)
    if opts.has("x", "--exec"):
        env.run_argv(opts.operands)
    elif opts.operands:
        # watch joins its words with spaces and hands them to sh -c.
        if any(w.value is None for w in opts.operands):
            env.add(Risk.UNKNOWN, "watch runs a command built at run time")
        else:
            env.run_text(" ".join(w.value or "" for w in opts.operands))


@handles("taskset")
def taskset(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], stop_at_operand=True)
    if opts.has("p", "--pid"):
        env.add(Risk.WRITE, "taskset -p changes where a running process may run")
        return
    env.run_argv(opts.operands[1:])  # the first operand is the CPU mask or list
