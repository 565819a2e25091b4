"""A read-only step that asks which process owns a socket gets the real answer, and still cannot
write: Landlock hides other processes' descriptors, so such lines run in bubblewrap's view."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from nlsh.safety import jail
from nlsh.safety.jail import Clearance, landlock, process_view
from nlsh.safety.shell_risk import simple_commands
from nlsh.tools.context import ToolContext
from nlsh.tools.shell import shell


@pytest.mark.parametrize("line, wanted", [
    ("ss -ltnp", True),
    ("ss -ltnp | grep 8080", True),
    ("netstat --program -tln", True),
    ("lsof -i :8080", True),
    ("fuser 8080/tcp", True),
    ("ss -tan", False),  # no owners asked for: Landlock as always
    ("ss -ltnp; rm -rf x", False),  # something besides lookers runs: Landlock
    ("ss -K -p dst 10.0.0.1", False),  # closes sockets
    ("fuser -k 8080/tcp", False),  # kills the owners
    ("lsof -i :$PORT", False),  # not literal
])
def test_which_lines_ask_for_the_process_view(line, wanted):
    assert process_view.wanted(simple_commands(line)) is wanted


@pytest.fixture
def server(tmp_path):
    """A real listener in another process (python -m http.server on a free port on 127.0.0.1)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield port, proc.pid
    proc.kill()
    proc.wait()


@pytest.fixture
def landlock_machine(monkeypatch):
    if landlock.abi() < 1 or shutil.which("ss") is None:
        pytest.skip("needs Landlock and ss")
    if process_view.arguments("/tmp") is None:
        pytest.skip("the process view needs bubblewrap and root (other users' namespaces cannot see owners)")
    monkeypatch.setenv("NLSH_JAIL", "landlock")
    jail.backend.cache_clear()
    yield
    jail.backend.cache_clear()


def test_the_read_jail_shows_who_listens(landlock_machine, server, tmp_path):
    port, pid = server
    ctx = ToolContext(cwd=tmp_path, env=dict(os.environ), clearance=Clearance.READ)
    done = shell.run(ctx, {"command": "ss -ltnp"})
    line = next(row for row in done.text.splitlines() if f"127.0.0.1:{port} " in row)
    assert f"pid={pid}," in line, done.text
    if shutil.which("lsof"):
        found = shell.run(ctx, {"command": f"lsof -nP -i :{port}"})
        assert found.exit_code == 0 and str(pid) in found.text, found


def test_the_process_view_still_cannot_write(landlock_machine, server, tmp_path):
    port, pid = server
    (tmp_path / "kept.txt").write_text("original\n")
    with jail.confine(Clearance.READ, tmp_path, sees_processes=True) as confined:
        script = (f"ss -ltnp | grep -c 'pid={pid},'; echo changed > kept.txt; touch new.txt; "
                  "mount -o remount,rw / ; echo again > kept.txt; echo spill > \"$TMPDIR/x\" && cat \"$TMPDIR/x\"")
        done = subprocess.run(confined.argv(["bash", "--norc", "-c", script]), cwd=tmp_path,
                              env=confined.environ({**os.environ, "LC_ALL": "C"}), preexec_fn=confined.preexec,
                              capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["1", "spill"], (done.stdout, done.stderr)
    assert "Read-only file system" in done.stderr
    assert (tmp_path / "kept.txt").read_text() == "original\n" and not (tmp_path / "new.txt").exists()
