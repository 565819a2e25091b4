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
    "LESSOPEN": "makes less run a command",
    "LESSCLOSE": "makes less run a command",
    "VISUAL": "changes which program edits",
    "MANPAGER": "changes which program shows manuals",
    "SYSTEMD_PAGER": "changes which program shows output",
    "SSH_ASKPASS": "makes ssh run a command",
    "SUDO_ASKPASS": "makes sudo run a command",
    "XDG_CONFIG_HOME": "changes where programs look for settings",
    "RUBYOPT": "changes what ruby runs",
    "JAVA_TOOL_OPTIONS": "changes what java runs",
    "TAPE": "changes where tar reads and writes",
    "TAR_OPTIONS": "adds options to every tar",
    "BROWSER": "changes which program opens links",
    "HISTFILE": "changes which file the history is written to",
    "CDPATH": "changes where cd goes",
    "GLOBIGNORE": "changes what patterns match",
    "MANOPT": "adds options to every man",
    "GZIP": "adds options to every gzip",
    "XZ_OPT": "adds options to every xz",
    "BZIP2": "adds options to every bzip2",
    "GREP_OPTIONS": "adds options to every grep",
    "INPUTRC": "changes how readline behaves",
    "PERL5LIB": "changes which perl modules load",
    "RUBYLIB": "changes which ruby modules load",
    "NODE_PATH": "changes which node modules load",
    "PYTHONHOME": "changes which python runs",
}
# Whole families: git reads its config, ssh command and askpass from these.
RISKY_PREFIXES = {"LD_": "loads code into every program", "GIT_": "changes what git does (its config, commands, trace files)",
                  "DYLD_": "loads code into every program", "LESS": "changes what less runs or writes",
                  "FZF_": "changes what fzf runs", "BAT_": "changes what bat runs", "SSH_": "changes what ssh runs",
                  "NPM_CONFIG_": "changes npm's config, which can run programs",
                  "PIP_": "changes pip's options"}


def risky_variable(name: str) -> str | None:
    """Why setting `name` changes what later programs do, or None when it does not."""
    return RISKY_VARIABLES.get(name) or next((w for p, w in RISKY_PREFIXES.items() if name.startswith(p)), None)


def check_assignment(env: Env, name: str) -> None:
    why = risky_variable(name)
    if why:
        env.add(Risk.UNKNOWN, f"setting {name} {why}")
