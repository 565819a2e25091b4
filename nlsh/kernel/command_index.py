"""What can run as a command here: programs on PATH, bash's builtins and keywords, and the person's
own aliases where their shell's startup files show them.

nlsh runs command lines with `bash --norc`, where the person's aliases do not exist; the shell road
expands an alias at the start of a line itself, the way their shell would (alias_of)."""

from __future__ import annotations

import os
import re
import shutil
from functools import lru_cache
from pathlib import Path

from nlsh.kernel.bash_names import BASH_BUILTINS, BASH_KEYWORDS

# Where bash, zsh and fish users define aliases (bash and zsh: alias NAME=VALUE; fish: alias NAME VALUE).
STARTUP_FILES = (".bashrc", ".bash_aliases", ".bash_profile", ".zshrc", ".zsh_aliases", ".config/fish/config.fish")
_POSIX_ALIAS = re.compile(r"""^\s*alias\s+(?:-- )?([\w.+@:-]+)=(?:'([^']*)'|"([^"]*)"|(\S+))""")
_FISH_ALIAS = re.compile(r"""^\s*(?:alias|abbr(?:\s+-a|\s+--add)?)\s+([\w.+@:-]+)\s+(?:'([^']*)'|"([^"]*)"|(.+?))\s*$""")


class CommandIndex:
    """Answers "is NAME a command?" for a PATH and a set of aliases."""

    def __init__(self, path: str, aliases: dict[str, str] | None = None, programs: frozenset[str] | None = None):
        self.path = path
        self.aliases = aliases or {}
        self._programs = programs  # a fixed set of installed programs (tests); None: look on PATH

    @classmethod
    def here(cls, env: dict[str, str] | None = None) -> "CommandIndex":
        env = env if env is not None else dict(os.environ)
        return cls(env.get("PATH", os.defpath), person_aliases(env.get("HOME", str(Path.home()))))

    def runnable(self, name: str) -> bool:
        if not name:
            return False
        if name in BASH_BUILTINS or name in BASH_KEYWORDS or name in self.aliases:
            return True
        if self._programs is not None:
            return name in self._programs
        return _on_path(name, self.path)

    def alias_of(self, name: str) -> str | None:
        return self.aliases.get(name)


@lru_cache(maxsize=4096)
def _on_path(name: str, path: str) -> bool:
    return "/" not in name and shutil.which(name, path=path) is not None


@lru_cache(maxsize=8)
def person_aliases(home: str) -> dict[str, str]:
    """Aliases defined in the startup files under HOME (read once per process; a REPL started before
    an alias was added does not know it, like the person's own shell)."""
    found: dict[str, str] = {}
    for name in STARTUP_FILES:
        path = Path(home, name)
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        fish = name.endswith(".fish")
        for line in text.splitlines():
            match = _POSIX_ALIAS.match(line) or (_FISH_ALIAS.match(line) if fish else None)
            if match:
                value = next((g for g in match.groups()[1:] if g is not None), "")
                found.setdefault(match.group(1), value)
    return found
