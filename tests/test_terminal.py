"""Questions are asked on the real controlling terminal (a pty here), never read from stdin."""

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import time

from conftest import REPO


def spawn_with_tty(args, cwd, home, stdin_data: bytes):
    master, slave = pty.openpty()

    def become_session_leader_with_tty():
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    env = {**os.environ, "NLSH_HOME": str(home), "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "nlsh", *args], cwd=cwd, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=become_session_leader_with_tty,
                            pass_fds=(slave,))
    os.close(slave)
    proc.stdin.write(stdin_data)
    proc.stdin.close()
    return proc, master


def read_until(fd, marker: bytes, timeout=60.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 1024)
            except OSError:
                break
    return seen


def test_the_question_goes_to_the_terminal_and_only_its_answer_counts(tmp_path, script, nlsh_home):
    (tmp_path / "doomed").write_text("x")
    model = script({"steps": [{"tool": "shell", "args": {"command": "rm doomed"}}]})
    proc, master = spawn_with_tty(["--model", model, "delete doomed"], tmp_path, nlsh_home, b"y\n")
    asked = read_until(master, b"[y/N]")
    assert b"Run step 1 [destructive]: rm doomed ?" in asked  # the command is on the terminal itself
    assert (tmp_path / "doomed").exists()  # the y on stdin was not taken as an answer
    os.write(master, b"y\n")
    assert proc.wait(timeout=60) == 0
    assert not (tmp_path / "doomed").exists()
    os.close(master)


def test_no_at_the_terminal_refuses(tmp_path, script, nlsh_home):
    (tmp_path / "kept").write_text("x")
    model = script({"steps": [{"tool": "shell", "args": {"command": "rm kept"}}]})
    proc, master = spawn_with_tty(["--model", model, "delete kept"], tmp_path, nlsh_home, b"")
    read_until(master, b"[y/N]")
    os.write(master, b"n\n")
    assert proc.wait(timeout=60) == 3
    assert (tmp_path / "kept").exists()
    os.close(master)
