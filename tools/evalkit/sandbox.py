"""Run a command in a copy of a fixture tree with bubblewrap: the copy is the sandbox's `/`, the
host's system directories are bound read-only on top, there is no network, the user is uid 1000
inside a user namespace, and a time limit ends the whole process tree."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SYSTEM_DIRS = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "var")
KERNEL_DIRS = ("proc", "dev", "tmp")
HOME = "/home/user"
OUTPUT_LIMIT = 1 << 20  # characters of stdout/stderr kept
FILE_SIZE_LIMIT = 256 << 20  # bytes; stops a runaway `yes > file` from filling the host disk
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class SandboxUnavailable(RuntimeError):
    pass


def bwrap_path() -> str:
    path = shutil.which("bwrap")
    if not path:
        raise SandboxUnavailable("bubblewrap is not installed (apt-get install -y bubblewrap)")
    return path


@dataclass
class RunResult:
    stdout: str
    stderr: str
    status: int | None  # None when the time limit ended it
    seconds: float

    @property
    def timed_out(self) -> bool:
        return self.status is None


@dataclass
class Sandbox:
    """What every run shares: extra host paths bound inside (the venv and the repo read-only at
    their own paths; model files; a writable cache for nlsh), whether the network is shared, and
    a directory of busybox applets for file systems whose image was busybox-based."""

    ro_paths: tuple[str, ...] = ()
    binds: tuple[tuple[str, str, bool], ...] = ()  # (host path, path inside, writable)
    share_net: bool = False
    busybox_bin: str | None = None
    uid: int = 1000
    extra_env: dict[str, str] = field(default_factory=dict)

    def extra_mounts(self) -> list[tuple[str, str, bool]]:
        mounts = [(path, path, False) for path in self.ro_paths] + list(self.binds)
        if self.busybox_bin:
            mounts.append((self.busybox_bin, self.busybox_bin, False))
        return mounts

    def mount_points(self) -> list[tuple[str, str]]:
        """(host path, path inside) of everything mounted over the copy."""
        points = [(f"/{name}", f"/{name}") for name in SYSTEM_DIRS + KERNEL_DIRS
                  if os.path.lexists(f"/{name}")]
        return points + [(host, inside) for host, inside, _ in self.extra_mounts()]

    def prepare(self, root: Path, now: float) -> frozenset[str]:
        """Create the mount points and the home directory inside the copy (before the 'before'
        snapshot, so they are not counted as the command's doing) and return the mount points
        for the snapshot to skip. Everything created here, and the root, gets the common `now`
        as its mtime, so `ls -l /` reads the same in every copy of a task."""
        root = Path(root)
        created = [root / HOME.lstrip("/")]
        created[0].mkdir(parents=True, exist_ok=True)
        for host, inside in self.mount_points():
            if inside.split("/")[1] in KERNEL_DIRS and inside.count("/") > 1:
                continue  # lands on a tmpfs or proc that bwrap makes, not in the copy
            target = root / inside.lstrip("/")
            if os.path.islink(host) and inside.count("/") == 1:
                if not os.path.lexists(target):
                    os.symlink(os.readlink(host), target)  # /bin -> usr/bin, as on the host
            elif os.path.isdir(host):
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.touch()
            created.append(target)
        for path in created:
            while path != root:  # the stub and the parents made for it, up to the root
                os.utime(path, (now, now), follow_symlinks=False)
                path = path.parent
        os.utime(root, (now, now))
        return frozenset(inside for _, inside in self.mount_points())

    def bwrap_argv(self, root: Path, workdir: str, env: dict[str, str]) -> list[str]:
        argv = [bwrap_path(), "--unshare-all", "--unshare-user", "--uid", str(self.uid),
                "--gid", str(self.uid), "--die-with-parent", "--new-session",
                "--bind", str(root), "/"]
        if self.share_net:
            argv.append("--share-net")
        for name in SYSTEM_DIRS:
            host = f"/{name}"
            if os.path.isdir(host) and not os.path.islink(host):
                argv += ["--ro-bind", host, host]
        argv += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        # shorter inside paths first, so a bind inside another bind lands on top of it
        for host, inside, writable in sorted(self.extra_mounts(), key=lambda m: m[1].count("/")):
            argv += ["--bind" if writable else "--ro-bind", host, inside]
        argv += ["--chdir", workdir or "/", "--clearenv"]
        for key, value in env.items():
            argv += ["--setenv", key, value]
        return argv

    def environment(self, manifest_env: dict[str, str]) -> dict[str, str]:
        path = DEFAULT_PATH if not self.busybox_bin else f"{self.busybox_bin}:{DEFAULT_PATH}"
        env = {"PATH": path, "HOME": HOME, "USER": "user", "LOGNAME": "user",
               "LANG": "C.UTF-8", "TZ": "UTC", "TERM": "dumb"}
        env.update(self.extra_env)
        env.update(manifest_env or {})
        return env

    def run(self, command: list[str], root: Path, workdir: str, manifest_env: dict[str, str],
            timeout: float) -> RunResult:
        argv = ["prlimit", f"--fsize={FILE_SIZE_LIMIT}"] if shutil.which("prlimit") else []
        argv += self.bwrap_argv(root, workdir, self.environment(manifest_env)) + ["--"] + command
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            started = time.monotonic()
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                       start_new_session=True)
            try:
                status: int | None = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # --die-with-parent takes the namespace down
                process.wait()
                status = None
            seconds = time.monotonic() - started
            return RunResult(_read(out), _read(err), status, seconds)


def _read(handle) -> str:
    handle.seek(0)
    return handle.read(OUTPUT_LIMIT).decode("utf-8", errors="replace")


def make_busybox_bin(directory: Path) -> str | None:
    """A directory of applet links (ls -> busybox, ...) so busybox-based fixtures get busybox tools."""
    busybox = shutil.which("busybox")
    if not busybox:
        return None
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    applets = subprocess.run([busybox, "--list"], capture_output=True, text=True).stdout.split()
    for applet in applets:
        link = directory / applet
        if not link.exists():
            link.symlink_to(busybox)
    return str(directory)
