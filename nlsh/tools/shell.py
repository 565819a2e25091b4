"""The shell tool: runs one bash command line in the session's working directory.

Its risk is computed by parsing the exact command line (nlsh.safety.shell_risk), never declared by the
model. `cd` and `export` persist: the command runs with an EXIT trap that reports the final directory
and environment back to the session."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from nlsh.safety.risk import Assessment, Risk
from nlsh.tools.context import Result, ToolContext, ToolError
from nlsh.tools.registry import tool
from nlsh.tools.stderr_tee import ErrorTee

# Variables that would let the environment run code behind the command's back.
_UNSAFE_ENV = ("BASH_ENV", "ENV", "LD_PRELOAD", "LD_AUDIT", "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS")



def _trailer(state_path: str) -> str:
    """Reports $PWD and the environment (NUL separated) to the state file when the command line
    ends, however it ends (`exit N` too). The path is written into the trap itself, so the command
    sees no extra variable."""
    report = f'{{ printf "%s\\0" "$PWD"; env -0; }} > {shlex.quote(state_path)} 2>/dev/null'
    return f"trap {shlex.quote(report)} EXIT\n"


def clean_env(env: dict[str, str]) -> dict[str, str]:
    cleaned = {k: v for k, v in env.items() if k not in _UNSAFE_ENV and not k.startswith("BASH_FUNC_")}
    cleaned["PATH"] = _with_nlsh_on_path(cleaned.get("PATH") or os.defpath)
    return cleaned


def _with_nlsh_on_path(path: str) -> str:
    """Commands may call `nlsh history ...` (how a shell-profile model recalls the past): make sure
    this nlsh is found even when it was started by its full path from a venv."""
    if shutil.which("nlsh", path=path):
        return path
    venv_bin = os.path.dirname(sys.executable)
    if os.path.exists(os.path.join(venv_bin, "nlsh")):
        return venv_bin + os.pathsep + path
    return path


def _assess(args: dict[str, Any], ctx: ToolContext) -> Assessment:
    from nlsh.safety.shell_risk import assess_command

    return assess_command(args["command"], ctx.cwd)


def _read_state(path: Path, ctx: ToolContext) -> None:
    try:
        raw = path.read_bytes()
    except OSError:
        return
    if not raw:
        return
    cwd, _, env_blob = raw.partition(b"\0")
    new_cwd = Path(os.fsdecode(cwd))
    if new_cwd.is_dir():
        ctx.cwd = new_cwd
    env = {}
    for item in env_blob.split(b"\0"):
        key, sep, value = item.partition(b"=")
        if sep and key:
            env[os.fsdecode(key)] = os.fsdecode(value)
    for noise in ("PWD", "OLDPWD", "SHLVL", "_"):
        env.pop(noise, None)
    if env:
        ctx.env = clean_env(env)


def bash_argv(command: str, state_path: str) -> list[str]:
    return ["bash", "--noprofile", "--norc", "-c", _trailer(state_path) + command]


@tool(Risk.UNKNOWN, shell=lambda args: args["command"], assess=_assess)
def shell(ctx: ToolContext, command: str) -> Result:
    """Run a bash command line in the current directory. Use it for anything the other tools do not
    cover, and for data arriving on stdin (the command reads it from its stdin)."""
    if not command.strip():
        raise ToolError("empty command line")
    fd, state_name = tempfile.mkstemp(prefix="nlsh-state-")
    os.close(fd)
    state = Path(state_name)
    argv = bash_argv(command, state_name)
    if ctx.sandbox:
        from nlsh.safety import sandbox

        argv = sandbox.wrap(argv, ctx.cwd)
    env = clean_env(ctx.env or dict(os.environ))
    streaming = ctx.stdout_fd is not None
    try:
        with ErrorTee() as errors:
            returncode, stdout = _run(argv, ctx, env, errors)
    except FileNotFoundError as exc:
        raise ToolError(f"cannot run bash: {exc}") from None
    finally:
        if not ctx.sandbox:  # a sandboxed command cannot change the session's state
            _read_state(state, ctx)
        state.unlink(missing_ok=True)
    if streaming:
        return Result(exit_code=returncode, streamed=True, stderr=errors.tail)
    text = stdout.decode("utf-8", errors="replace")
    return Result(text=text, exit_code=returncode, stderr=errors.tail)


def _run(argv: list[str], ctx: ToolContext, env: dict[str, str], errors: ErrorTee) -> tuple[int, bytes]:
    """Like subprocess.run: on Ctrl-C or any error the command is killed before this returns."""
    with subprocess.Popen(
        argv,
        cwd=ctx.cwd,
        env=env,
        stdin=ctx.stdin if ctx.stdin is not None else subprocess.DEVNULL,
        stdout=ctx.stdout_fd if ctx.stdout_fd is not None else subprocess.PIPE,
        stderr=errors.fd,
    ) as proc:
        errors.started()
        try:
            stdout, _ = proc.communicate()
        except BaseException:
            proc.kill()
            raise
    return proc.returncode, stdout or b""


TOOLS = [shell]
