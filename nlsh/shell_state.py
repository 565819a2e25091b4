"""The other half of the `nlsh` shell function (nlsh init): after a request, what it changed in the
session (the directory, exported variables) and the command lines it ran are written as a script
for the person's own shell, which sources it. So `cd` and `export` from a request stick, and the
commands land in that shell's history.

The function names the shell and a fresh private file in NLSH_SHELL_STATE ("bash:/tmp/nlsh-state.X").
Every value is quoted for that shell; variable names are checked, so the file can only do the three
things it is meant to."""

from __future__ import annotations

import os
import re
import shlex
from typing import Any, Callable

VARIABLE = "NLSH_SHELL_STATE"
SHELLS = ("bash", "zsh", "fish")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NOISE = frozenset({"PWD", "OLDPWD", "SHLVL", "_", VARIABLE})


def fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish_history_entry(command: str) -> str:
    """A command as fish's history file spells it (backslashes and newlines escaped)."""
    return command.replace("\\", "\\\\").replace("\n", "\\n")


def env_changes(before: dict[str, str], after: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """(variables set or changed, variables removed). `before` is compared as the shell tool sees
    it (its cleaning is not a change the person made)."""
    from nlsh.tools.shell import clean_env

    seen = clean_env(before)
    changed = {k: v for k, v in after.items() if k not in _NOISE and _NAME.match(k) and seen.get(k) != v}
    removed = [k for k in seen if k not in after and k not in _NOISE and _NAME.match(k)]
    return changed, removed


def script(shell: str, *, cwd: str | None, changed: dict[str, str], removed: list[str],
           commands: list[str]) -> str:
    quote: Callable[[str], str] = fish_quote if shell == "fish" else shlex.quote
    lines = []
    if cwd is not None:
        lines.append(f"cd {quote(cwd)}" if shell == "fish" else f"cd -- {quote(cwd)}")
    for name, value in changed.items():
        lines.append(f"set -gx {name} {quote(value)}" if shell == "fish" else f"export {name}={quote(value)}")
    for name in removed:
        lines.append(f"set -e {name}" if shell == "fish" else f"unset {name}")
    for command in commands:
        if shell == "bash":
            lines.append(f"history -s {quote(command)}")
        elif shell == "zsh":
            lines.append(f"print -s -r -- {quote(command)}")
        else:
            lines.append(f"__nlsh_add_history {quote(fish_history_entry(command))}")
    return "".join(line + "\n" for line in lines)


def report_to_shell(session: Any, environ: dict[str, str] | None = None) -> None:
    """Write the state script when nlsh was started by the shell function; otherwise do nothing."""
    environ = dict(os.environ) if environ is None else environ
    shell, _, path = environ.get(VARIABLE, "").partition(":")
    if shell not in SHELLS or not path:
        if str(session.ctx.cwd) != os.getcwd():
            # Without the shell function a directory change ends with nlsh: say so, once per request.
            session.say(f"nlsh: your shell stays in {os.getcwd()} (nlsh cannot change its directory); "
                        'with eval "$(nlsh init bash)" (or zsh, fish) in your shell\'s rc file it follows')
        return
    changed, removed = env_changes(environ, session.ctx.env) if session.ctx.env != environ else ({}, [])
    cwd = str(session.ctx.cwd)
    text = script(shell, cwd=None if cwd == os.getcwd() else cwd, changed=changed, removed=removed,
                  commands=session.commands_run)
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError:
        pass  # the shell just stays as it was
