"""The bubblewrap sandbox, for real: commands run in it and the tests look at what they could do.

bwrap must be installed (.ci/run installs the `bubblewrap` package); the tests skip only when bwrap
is there but this machine forbids the namespaces it needs."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from nlsh.safety import sandbox

if shutil.which("bwrap") and not sandbox.available():
    pytest.skip(f"bubblewrap cannot run here: {sandbox.unavailable_reason()}", allow_module_level=True)


def run_in_sandbox(cwd: Path, script: str) -> subprocess.CompletedProcess:
    argv = sandbox.wrap(["sh", "-c", script], cwd)
    env = {**os.environ, "LC_ALL": "C"}  # untranslated error messages
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env)


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.setenv("NLSH_HOME", str(tmp_path / "nlsh-home"))
    (tmp_path / "work").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "kept.txt").write_text("original")
    return tmp_path / "work"


def test_wrap_builds_a_bwrap_command_line(work):
    argv = sandbox.wrap(["echo", "hi"], work)
    assert Path(argv[0]).name == "bwrap"
    assert argv[-3:] == ["--", "echo", "hi"]
    for flag in ("--unshare-net", "--new-session", "--die-with-parent"):
        assert flag in argv
    assert argv[argv.index("--tmpfs") + 1] == "/tmp"
    bind = argv.index("--bind")
    assert argv[bind + 1 : bind + 3] == [str(work.resolve())] * 2
    assert bind > argv.index("--tmpfs")  # a cwd below /tmp must stay the real directory


def test_command_writes_in_its_working_directory(work):
    done = run_in_sandbox(work, "pwd && echo made > made.txt")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(work.resolve())
    assert (work / "made.txt").read_text() == "made\n"


def test_command_cannot_write_in_a_sibling_directory(work):
    other = work.parent / "other"
    done = run_in_sandbox(work, "echo changed > ../other/kept.txt; echo new > ../other/new.txt")
    assert done.returncode != 0
    assert (other / "kept.txt").read_text() == "original"
    assert not (other / "new.txt").exists()


def test_command_cannot_write_outside_tmp():
    """A directory outside /tmp is visible in the sandbox, read-only."""
    base = Path("/var/tmp")
    if not (base.is_dir() and os.access(base, os.W_OK)):
        pytest.skip("/var/tmp is not a writable directory here")
    root = Path(tempfile.mkdtemp(prefix="nlsh-sandbox-test-", dir=base))
    try:
        (root / "work").mkdir()
        (root / "other").mkdir()
        done = run_in_sandbox(root / "work", "ls ..; echo x > ../other/new.txt")
        assert done.returncode != 0
        assert "other" in done.stdout  # seen ...
        assert "Read-only file system" in done.stderr  # ... but not writable
        assert not (root / "other" / "new.txt").exists()
    finally:
        shutil.rmtree(root)


def test_tmp_is_private(work):
    with tempfile.NamedTemporaryFile(dir="/tmp", prefix="nlsh-host-") as host_file:
        inside_name = f"/tmp/nlsh-sandbox-{uuid.uuid4().hex}"
        done = run_in_sandbox(
            work, f"test ! -e {host_file.name} && echo private > {inside_name} && cat {inside_name}"
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "private"
        assert not Path(inside_name).exists()


# bash's /dev/tcp rather than Python: the interpreter running the tests may live below /tmp (a
# fresh CI venv), which the sandbox hides behind its private /tmp.
CONNECT = 'exec 3<>"/dev/tcp/127.0.0.1/$0" && echo connected || exit 7'


def test_no_network_even_to_localhost(work):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = str(server.getsockname()[1])
        outside = subprocess.run(["bash", "-c", CONNECT, port], capture_output=True, text=True, timeout=60)
        assert outside.stdout.strip() == "connected"  # the server is reachable from here ...
        inside = subprocess.run(
            sandbox.wrap(["bash", "-c", CONNECT, port], work), capture_output=True, text=True, timeout=60
        )
        assert inside.returncode == 7, inside.stderr  # ... and not from the sandbox
        assert "connected" not in inside.stdout


def test_command_runs_in_its_own_session_and_sees_only_its_processes(work):
    # Fields 1 and 6 of /proc/PID/stat are the pid and its session id.
    done = run_in_sandbox(work, "cut -d' ' -f1,6 /proc/$$/stat")
    assert done.returncode == 0, done.stderr
    pid, session = done.stdout.split()
    # Our session leader is outside the sandbox's pid namespace and would show as 0; a session made
    # for the sandbox has a leader inside it (bwrap's pid 1 or the shell): no TIOCSTI into our terminal.
    assert session in {"1", pid}
    listing = run_in_sandbox(work, "ls /proc | grep -c '^[0-9]'")
    assert int(listing.stdout) < 10  # bwrap, sh, ls, grep: not the machine's processes


def test_missing_bwrap_says_how_to_install(work, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    assert sandbox.available() is False
    with pytest.raises(sandbox.SandboxUnavailable, match="apt-get install bubblewrap"):
        sandbox.wrap(["true"], work)
    assert "apt-get install bubblewrap" in str(sandbox.SandboxUnavailable())  # finds the reason itself


def test_refuses_root_and_missing_directories(work):
    with pytest.raises(sandbox.SandboxUnavailable, match="will not make / writable"):
        sandbox.wrap(["true"], Path("/"))
    with pytest.raises(sandbox.SandboxUnavailable, match="does not exist"):
        sandbox.wrap(["true"], work / "missing")
    with pytest.raises(ValueError):
        sandbox.wrap([], work)


def test_the_shell_tool_in_the_sandbox_says_nothing_of_its_own(work):
    from nlsh.safety.jail import Clearance
    from nlsh.tools.context import ToolContext
    from nlsh.tools.shell import shell

    ctx = ToolContext(cwd=work, env=dict(os.environ), sandbox=True, clearance=Clearance.WRITE)
    done = shell.run(ctx, {"command": "echo made > made.txt && cd /tmp && export SEEN=1; echo done"})
    assert done.exit_code == 0 and done.text == "done\n", done
    assert not done.stderr, done.stderr  # no "nlsh-state: No such file or directory"
    assert (work / "made.txt").read_text() == "made\n"
    assert ctx.cwd == work and "SEEN" not in ctx.env  # a sandboxed command cannot change the session
