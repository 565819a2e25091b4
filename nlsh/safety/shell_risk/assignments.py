"""Variables whose value changes which program runs or what a shell does on its own."""

from __future__ import annotations

from ..risk import Risk
from .env import Env

RISKY_VARIABLES = {
    "PATH": "changes which programs run",
    "LD_PRELOAD": "loads code into every program",
    "LD_LIBRARY_PATH": "changes which libraries programs load",
    "LD_AUDIT": "loads code into every program",
    "BASH_ENV": "makes every bash run a file first",
    "ENV": "makes every sh run a file first",
    "PROMPT_COMMAND": "runs a command before every prompt",
    "PS4": "can run commands when tracing",
    "IFS": "changes how words are split",
    "SHELLOPTS": "changes shell options",
    "BASHOPTS": "changes shell options",
    "PYTHONSTARTUP": "runs a file in every python",
    "PYTHONPATH": "changes which python modules load",
    "NODE_OPTIONS": "changes what node runs",
    "PERL5OPT": "changes what perl runs",
    "GIT_SSH_COMMAND": "makes git run a command",
    "GIT_PAGER": "makes git run a command",
    "GIT_EXTERNAL_DIFF": "makes git run a command",
    "PAGER": "changes which program shows output",
    "EDITOR": "changes which program edits",
    "HOME": "changes where programs look for settings",
}


def check_assignment(env: Env, name: str) -> None:
    why = RISKY_VARIABLES.get(name) or (RISKY_VARIABLES["LD_PRELOAD"] if name.startswith("LD_") else None)
    if why:
        env.add(Risk.UNKNOWN, f"setting {name} {why}")
