"""Each jail holds by itself: commands are run for real inside it, with no classifier in the way, and
the tests look at what they could do to files, processes and sockets."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from nlsh.safety import jail
from nlsh.safety.jail import Clearance, JailError, landlock

BACKENDS = [b for b in ("landlock", "bubblewrap")
            if (b == "landlock" and landlock.abi() >= 1) or (b == "bubblewrap" and jail.bwrap.usable())]
if not BACKENDS:
    pytest.skip("neither Landlock nor bubblewrap works here", allow_module_level=True)


@pytest.fixture(params=BACKENDS)
def backend(request, monkeypatch):
    monkeypatch.setenv("NLSH_JAIL", request.param)
    jail.backend.cache_clear()
    yield request.param
    jail.backend.cache_clear()


@pytest.fixture
def landlock_only(monkeypatch):
    if landlock.abi() < 1:
        pytest.skip("no Landlock in this kernel")
    monkeypatch.setenv("NLSH_JAIL", "landlock")
    jail.backend.cache_clear()
    yield
    jail.backend.cache_clear()


@pytest.fixture
def place(tmp_path, monkeypatch):
    """A project (with a dotfile and a .git directory), a temp directory of its own, and a directory
    that is neither (a stand-in for the rest of the machine)."""
    work, temp, other = tmp_path / "work", tmp_path / "temp", tmp_path / "other"
    for d in (work, temp, other, work / ".git", work / "src"):
        d.mkdir()
    (work / "notes.txt").write_text("original\n")
    (work / ".envrc").write_text("original\n")
    (work / ".git" / "config").write_text("original\n")
    (work / "src" / "main.c").write_text("original\n")
    (other / "kept.txt").write_text("original\n")
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return tmp_path


def run(clearance: Clearance, cwd: Path, script: str) -> subprocess.CompletedProcess:
    with jail.confine(clearance, cwd) as confined:
        env = confined.environ({**os.environ, "LC_ALL": "C"})
        return subprocess.run(confined.argv(["bash", "--norc", "-c", script]), cwd=cwd, env=env,
                              preexec_fn=confined.preexec, capture_output=True, text=True, timeout=60)


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): (p.read_text() if p.is_file() else "dir")
            for p in sorted(root.rglob("*"))}


WRITES = [
    "echo changed > notes.txt",
    "echo more >> notes.txt",
    "rm -f notes.txt",
    "mv notes.txt gone.txt",
    "touch new.txt",
    "mkdir newdir",
    "ln -s notes.txt link",
    "truncate -s 0 notes.txt",
    "cp notes.txt copy.txt",
    "echo x > ../other/kept.txt",
    "echo x >> .git/config",
    "sed -i s/original/changed/ src/main.c",
    "python3 -c \"open('notes.txt','w').write('changed')\"",
    "dd if=/dev/zero of=notes.txt bs=1 count=1 conv=notrunc",
]


@pytest.mark.parametrize("command", WRITES)
def test_the_read_jail_stops_every_write(backend, place, command):
    before = snapshot(place)
    done = run(Clearance.READ, place / "work", command)
    assert done.returncode != 0, done.stderr
    assert "Permission denied" in done.stderr or "Read-only file system" in done.stderr, done.stderr
    assert snapshot(place) == before


def test_the_read_jail_runs_readers_and_their_scratch_space(backend, place):
    script = ("cat notes.txt && ls src && grep -c original notes.txt && find . -name '*.c' && du -s . "
              "&& df / >/dev/null && ps -e >/dev/null && ss -tan >/dev/null && echo out > /dev/null "
              "&& printf 'b\\na\\n' | sort && cat <<EOF\nfrom a here-document\nEOF\n"
              "echo spill > \"$TMPDIR/x\" && cat \"$TMPDIR/x\"")
    done = run(Clearance.READ, place / "work", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["original", "main.c", "1"]
    assert "a\nb\nfrom a here-document\nspill\n" in done.stdout


def test_the_scratch_directory_is_gone_afterwards(backend, place):
    done = run(Clearance.READ, place / "work", 'echo "$TMPDIR"')
    scratch = Path(done.stdout.strip())
    assert scratch.name.startswith("nlsh-step-") and not scratch.exists()


@pytest.fixture
def victim():
    proc = subprocess.Popen(["sleep", "60"])
    yield proc
    proc.kill()
    proc.wait()


def test_the_read_jail_cannot_signal_outside_processes(landlock_only, place, victim):
    if landlock.abi() < 6:
        pytest.skip("signal scoping needs Landlock ABI 6")
    done = run(Clearance.READ, place / "work", f"kill -9 {victim.pid}")
    assert done.returncode != 0 and "Operation not permitted" in done.stderr
    time.sleep(0.1)
    assert victim.poll() is None
    own = run(Clearance.READ, place / "work", "sleep 30 & kill $! && wait $!; echo $?")
    assert own.stdout.strip() == "143"  # its own children it may stop


@pytest.fixture
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    yield server.getsockname()[1]
    server.close()


@pytest.mark.parametrize("clearance", [Clearance.READ, Clearance.WRITE, Clearance.DESTRUCTIVE])
def test_only_the_network_clearance_opens_tcp(landlock_only, place, listener, clearance):
    if landlock.abi() < 4:
        pytest.skip("TCP rules need Landlock ABI 4")
    connect = f"exec 3<>/dev/tcp/127.0.0.1/{listener} && echo connected"
    assert "connected" not in run(clearance, place / "work", connect).stdout
    bind = "python3 -c 'import socket; socket.socket().bind((\"127.0.0.1\", 0)); print(\"bound\")'"
    assert "bound" not in run(clearance, place / "work", bind).stdout
    assert run(Clearance.NETWORK, place / "work", connect).stdout.strip() == "connected"


def test_the_write_jail_creates_and_appends_below_cwd_and_temp_only(landlock_only, place):
    work = place / "work"
    done = run(Clearance.WRITE, work, "echo new > made.txt && mkdir -p src/deep && echo n > src/deep/f "
                                      "&& echo more >> notes.txt && echo t > \"$(python3 -c 'import tempfile;"
                                      "print(tempfile.gettempdir())')\"/ok 2>&1; echo $?")
    assert (work / "made.txt").read_text() == "new\n" and (work / "src/deep/f").exists()
    assert (work / "notes.txt").read_text() == "original\nmore\n"
    for command in ("echo x > notes.txt", "rm src/main.c", "mv notes.txt renamed", "echo x >> .git/config",
                    "echo x > .envrc", "touch .git/hooks/post-checkout", "echo x > ../other/new",
                    "echo x >> ../other/kept.txt"):
        before = snapshot(place)
        failed = run(Clearance.WRITE, work, command)
        assert failed.returncode != 0, command
        assert snapshot(place) == before, command


def test_the_destructive_jail_deletes_in_cwd_but_never_dotfiles(landlock_only, place):
    work = place / "work"
    assert run(Clearance.DESTRUCTIVE, work, "rm notes.txt && echo x > src/main.c").returncode == 0
    assert not (work / "notes.txt").exists() and (work / "src/main.c").read_text() == "x\n"
    for command in ("rm .envrc", "rm -r .git", "echo x > .git/config", "rm ../other/kept.txt"):
        assert run(Clearance.DESTRUCTIVE, work, command).returncode != 0, command
    assert (work / ".git/config").read_text() == "original\n" and (work / ".envrc").exists()
    assert (place / "other/kept.txt").exists()


def test_the_network_jail_writes_only_below_cwd(landlock_only, place):
    work = place / "work"
    assert run(Clearance.NETWORK, work, "echo x > fetched.txt").returncode == 0
    assert run(Clearance.NETWORK, work, f"echo x > {place / 'temp' / 'f'}").returncode != 0
    assert not (place / "temp" / "f").exists()


def test_the_person_namespace_is_untouched_by_the_dotfile_binds(landlock_only, place):
    mounts = Path("/proc/self/mounts").read_text()
    run(Clearance.WRITE, place / "work", "true")
    assert Path("/proc/self/mounts").read_text() == mounts
    assert str(place) not in mounts


def test_writing_clearances_refuse_the_home_directory_itself(backend, place, monkeypatch):
    monkeypatch.setenv("HOME", str(place / "work"))
    for clearance in (Clearance.WRITE, Clearance.DESTRUCTIVE, Clearance.NETWORK):
        with pytest.raises(JailError, match="home directory"):
            jail.confine(clearance, place / "work")
    with pytest.raises(JailError, match="system"):
        jail.confine(Clearance.WRITE, Path("/etc"))
    jail.confine(Clearance.READ, place / "work").close()  # reading there is fine


def test_typed_tools_are_held_to_the_same_rule(place, monkeypatch):
    work = place / "work"
    monkeypatch.setenv("HOME", str(place / "home"))
    check = jail.check_typed_target
    check(Clearance.WRITE, work, work / "new.txt", removes=False)
    check(Clearance.WRITE, work, place / "temp" / "new.txt", removes=False)
    check(Clearance.DESTRUCTIVE, work, work / "notes.txt", removes=True)
    check(Clearance.FULL, work, Path("/etc/passwd"), removes=True)
    refused = [
        (Clearance.READ, work / "new.txt", False),
        (Clearance.WRITE, work / "notes.txt", True),
        (Clearance.WRITE, place / "home" / ".bashrc", False),
        (Clearance.WRITE, work / ".git" / "hooks" / "pre-commit", False),
        (Clearance.WRITE, work / "src" / ".hidden", False),
        (Clearance.NETWORK, place / "temp" / "new.txt", False),
        (Clearance.DESTRUCTIVE, place / "other" / "kept.txt", True),
    ]
    for clearance, path, removes in refused:
        with pytest.raises(JailError):
            check(clearance, work, path, removes=removes)


def test_strict_mode_when_no_jail_exists(place, monkeypatch):
    from nlsh.safety.jail.strict import refusal

    assert refusal("ls -la | grep txt", Clearance.READ) is None
    assert refusal("sort -u notes.txt", Clearance.READ) is None
    for line in ("tree -o out", "sort -ro out notes.txt", "sort --outp=out a", "ls $(echo x)", "cat a > b"):
        assert refusal(line, Clearance.READ), line
    assert refusal("touch a", Clearance.WRITE)
    assert refusal("touch a", Clearance.FULL) is None


def test_the_shell_tool_runs_in_the_jail_of_its_clearance_and_keeps_cd(backend, place):
    from nlsh.tools.context import ToolContext
    from nlsh.tools.shell import shell

    ctx = ToolContext(cwd=place / "work", env=dict(os.environ), clearance=Clearance.READ)
    done = shell.run(ctx, {"command": "cd src && export SEEN=1 && echo x > main.c"})
    assert done.exit_code != 0 and (place / "work/src/main.c").read_text() == "original\n"
    assert ctx.cwd == place / "work" / "src" and ctx.env["SEEN"] == "1"
    assert ctx.env.get("TMPDIR") == os.environ.get("TMPDIR")  # the jail's scratch does not stick


def test_the_shell_tool_in_strict_mode(place, monkeypatch):
    from nlsh.tools.context import ToolContext, ToolError
    from nlsh.tools.shell import shell

    monkeypatch.setenv("NLSH_JAIL", "none")
    jail.backend.cache_clear()
    try:
        ctx = ToolContext(cwd=place / "work", env=dict(os.environ), clearance=Clearance.READ)
        assert shell.run(ctx, {"command": "cat notes.txt"}).text == "original\n"
        with pytest.raises(ToolError, match="strict mode"):
            shell.run(ctx, {"command": "tree -o out.txt"})
        ctx.clearance = Clearance.WRITE
        with pytest.raises(ToolError, match="kernel jail"):
            shell.run(ctx, {"command": "touch new"})
        assert not (place / "work" / "out.txt").exists() and not (place / "work" / "new").exists()
    finally:
        jail.backend.cache_clear()


@pytest.mark.parametrize("command", ["chmod 000 notes.txt", "chown nobody notes.txt", "touch -d 2001-01-01 notes.txt"])
def test_the_read_jail_keeps_metadata_too(backend, place, command):
    if backend == "landlock" and jail.mounts.unavailable_reason():
        pytest.skip("Landlock alone cannot stop metadata changes; no private mount namespace here")
    notes = place / "work" / "notes.txt"
    before = os.stat(notes)
    assert run(Clearance.READ, place / "work", command).returncode != 0
    after = os.stat(notes)
    assert (after.st_mode, after.st_uid, after.st_mtime) == (before.st_mode, before.st_uid, before.st_mtime)


def test_a_confined_step_cannot_forge_variables_that_change_later_steps(backend, place):
    from nlsh.tools.context import ToolContext
    from nlsh.tools.shell import shell

    env = dict(os.environ)
    ctx = ToolContext(cwd=place / "work", env=env, clearance=Clearance.READ)
    # Writes its own state file (the trailer's) with a PATH and a PAGER of its choosing.
    forged = "printf '%s\\0PATH=/tmp/evil\\0PAGER=rm\\0HARMLESS=1\\0' \"$PWD\" > \"$TMPDIR/nlsh-state\"; trap - EXIT"
    shell.run(ctx, {"command": forged})
    assert ctx.env["PATH"].endswith(env["PATH"]) and "/tmp/evil" not in ctx.env["PATH"]
    assert ctx.env.get("PAGER") == env.get("PAGER") and ctx.env["HARMLESS"] == "1"
