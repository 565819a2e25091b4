"""Real bash, zsh and fish under tmux, set up from `nlsh init` the way the README says, with this
checkout's nlsh first on PATH and the scripted model."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

from conftest import REPO

RC = {  # the README's set-up line for each shell, after a plain prompt
    "bash": (".bashrc", "PS1='$ '\neval \"$(nlsh init bash)\"\n"),
    "zsh": (".zshrc", "PS1='$ '\nautoload -U compinit && compinit -u\neval \"$(nlsh init zsh)\"\n"),
    "fish": (".config/fish/config.fish",
             "function fish_prompt; echo -n '$ '; end\nset -g fish_greeting\n"
             "set -g fish_autosuggestion_enabled 0  # grey suggestions would read as typed text\n"
             "nlsh init fish | source\n"),
}


def missing(shell: str) -> str | None:
    for program in ("tmux", shell):
        if shutil.which(program) is None:
            return f"{program} is not installed"
    return None


class ShellPane:
    def __init__(self, shell: str, home: Path, cwd: Path, model: str, nlsh_home: Path):
        self.name = f"nlsh-{uuid.uuid4().hex[:8]}"
        self.socket = f"nlsh-test-{self.name}"
        bin_dir = home / "bin"
        bin_dir.mkdir(parents=True, exist_ok=True)
        wrapper = bin_dir / "nlsh"
        wrapper.write_text(f'#!/bin/sh\nPYTHONPATH={REPO} exec {sys.executable} -m nlsh "$@"\n')
        wrapper.chmod(0o755)
        rc_name, rc_text = RC[shell]
        rc = home / rc_name
        rc.parent.mkdir(parents=True, exist_ok=True)
        rc.write_text(rc_text)
        env = {"HOME": str(home), "PATH": f"{bin_dir}:/usr/bin:/bin", "TERM": "xterm-256color",
               "NLSH_HOME": str(nlsh_home), "NLSH_MODEL": model, "LANG": os.environ.get("LANG", "C.UTF-8"),
               "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CONFIG_HOME": str(home / ".config")}
        command = ["env", "-i", *(f"{k}={v}" for k, v in env.items()), shell, "-i"]
        self._tmux("new-session", "-d", "-s", self.name, "-x", "150", "-y", "40", "-c", str(cwd), *command)
        try:
            self.wait_for("$")
        except AssertionError:
            self.close()  # nobody else holds this pane yet
            raise

    def _tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], check=True,
                              capture_output=True, text=True).stdout

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.name, "-l", text)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, timeout: float = 60.0, *, pattern: bool = False) -> str:
        """The screen once `text` (a regular expression when `pattern`) is on it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if (re.search(text, screen) if pattern else text in screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def prompt_line(self) -> str:
        """The last line that starts with the prompt: what is on the command line now."""
        lines = [line for line in self.screen().splitlines() if line.startswith("$")]
        return lines[-1].rstrip() if lines else ""

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
