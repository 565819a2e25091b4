"""Fresh copies of a fixture: materialise, run one thing in the sandbox, measure the effect, clean up."""

from __future__ import annotations

import dataclasses
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .fixture import materialise
from .sandbox import RunResult, Sandbox
from .scoring import Outcome
from .snapshot import effect_of, snapshot


def uses_busybox(manifest: dict) -> bool:
    return "busybox" in str(manifest.get("exec_shell", ""))


BUSYBOX = "/usr/bin/busybox"


def shell_argv(manifest: dict, command: str) -> list[str]:
    if uses_busybox(manifest):
        if not os.path.exists(BUSYBOX):
            # Without it every command of such a task fails alike, reference and candidate, and
            # the scorer would count that as a pass.
            raise SystemExit(f"eval: this fixture's machine ran busybox and {BUSYBOX} is missing: "
                             "apt-get install busybox")
        return [BUSYBOX, "sh", "-c", command]
    return ["/bin/bash", "-c", command]


def remove_tree(path: Path) -> None:
    """rmtree that also gets through directories a command made unreadable (chmod 000)."""

    def make_writable_and_retry(function, failed_path, _error):
        parent = os.path.dirname(failed_path)
        os.chmod(parent, stat.S_IRWXU)
        if os.path.isdir(failed_path) and not os.path.islink(failed_path):
            os.chmod(failed_path, stat.S_IRWXU)
        function(failed_path)

    shutil.rmtree(path, onerror=make_writable_and_retry)


@dataclass
class CopyRunner:
    sandbox: Sandbox
    workspace: Path
    timeout: float = 10.0

    def sandbox_for(self, manifest: dict) -> Sandbox:
        if uses_busybox(manifest):
            return self.sandbox
        return dataclasses.replace(self.sandbox, busybox_bin=None)

    def run(self, manifest: dict, argv: list[str], now: float, timeout: float | None = None,
            sandbox: Sandbox | None = None) -> tuple[RunResult, dict]:
        """Run `argv` in a fresh copy; return what it printed and its effect on the tree."""
        sandbox = sandbox or self.sandbox_for(manifest)
        root = Path(tempfile.mkdtemp(prefix="copy-", dir=self.workspace))
        try:
            root.chmod(0o755)  # mkdtemp makes it 0700; a machine's / is 0755
            materialise(manifest, root, now)
            skip = sandbox.prepare(root, now)
            before = snapshot(root, skip)
            result = sandbox.run(argv, root, manifest.get("workdir", "/"), manifest.get("env", {}),
                                 timeout or self.timeout)
            after = snapshot(root, skip)
            return result, effect_of(before, after)
        finally:
            remove_tree(root)

    def run_command(self, manifest: dict, command: str, now: float) -> Outcome:
        result, effect = self.run(manifest, shell_argv(manifest, command), now)
        return Outcome(output=result.stdout, effect=effect, status=result.status,
                       seconds=result.seconds, command=command,
                       extra={"stderr": result.stderr[:2000]})
