"""Process tools: list, inspect and signal processes, and a picture of the machine (psutil)."""

from __future__ import annotations

import os
import shlex
import signal as signals
import time
from datetime import datetime
from typing import Any, Literal

import psutil

from nlsh.safety.risk import Assessment, Risk
from nlsh.tools.context import ToolContext, ToolError
from nlsh.tools.registry import tool

SortKey = Literal["cpu", "memory", "pid", "name"]

# The `ps --sort` key that orders the rendered command line the same way as the tool.
_PS_SORT = {"cpu": "-%cpu", "memory": "-rss", "pid": "pid", "name": "comm"}
_ROW_FIELDS = ["pid", "name", "username", "cmdline", "cpu_times", "memory_info", "status", "create_time"]


def _iso(timestamp: float | None) -> str | None:
    return datetime.fromtimestamp(timestamp).isoformat(timespec="seconds") if timestamp else None


def _cpu_percent(info: dict[str, Any], now: float) -> float:
    """Average CPU use over the process's life, as `ps` shows it: no sampling interval to wait for,
    and the same number the rendered `ps` line prints."""
    times, started = info.get("cpu_times"), info.get("create_time")
    if not times or not started or now <= started:
        return 0.0
    return round(100.0 * (times.user + times.system) / (now - started), 1)


def _command(info: dict[str, Any]) -> str:
    argv = info.get("cmdline")
    return " ".join(argv) if argv else f"[{info.get('name') or '?'}]"  # kernel threads have no argv


def _row(info: dict[str, Any], now: float) -> dict[str, Any]:
    memory = info.get("memory_info")
    return {
        "pid": info["pid"],
        "name": info.get("name") or "",
        "user": info.get("username"),
        "cpu": _cpu_percent(info, now),
        "memory": memory.rss if memory else None,
        "status": info.get("status"),
        "started": _iso(info.get("create_time")),
        "command": _command(info),
    }


def _matches(row: dict[str, Any], name: str, user: str) -> bool:
    if user and row["user"] != user:
        return False
    wanted = name.lower()
    return not wanted or wanted in row["name"].lower() or wanted in row["command"].lower()


def _sort_rows(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    if sort == "cpu":
        return sorted(rows, key=lambda r: (-r["cpu"], r["pid"]))
    if sort == "memory":
        return sorted(rows, key=lambda r: (-(r["memory"] or 0), r["pid"]))
    if sort == "name":
        return sorted(rows, key=lambda r: (r["name"].lower(), r["pid"]))
    return sorted(rows, key=lambda r: r["pid"])


def _render_list(args: dict[str, Any]) -> str:
    sort, name, user = args.get("sort", "cpu"), args.get("name", ""), args.get("user", "")
    limit = args.get("limit", 0)
    if name:  # pgrep is how a person filters by name without matching the filter itself
        line = "pgrep -a -i -f" + (f" -u {shlex.quote(user)}" if user else "") + f" -- {shlex.quote(name)}"
        return line + (f" | head -n {int(limit)}" if limit else "")
    who = f"u -U {shlex.quote(user)}" if user else "aux"
    line = f"ps {who} --sort={_PS_SORT.get(sort, '-%cpu')}"
    return line + (f" | head -n {int(limit) + 1}" if limit else "")  # +1 keeps the header line


@tool(Risk.READ, shell=_render_list)
def list_processes(
    ctx: ToolContext, sort: SortKey = "cpu", name: str = "", user: str = "", limit: int = 0
) -> list[dict]:
    """List running processes, sorted by cpu, memory, pid or name.

    `name` keeps processes whose name or command line contains it (case-insensitive); `user` keeps
    one user's processes; `limit` > 0 keeps the first N after sorting. Memory is resident bytes;
    cpu is the average percent over the process's life."""
    if limit < 0:
        raise ToolError("limit must be 0 (no limit) or a positive number")
    now = time.time()
    rows = []
    for proc in psutil.process_iter(_ROW_FIELDS, ad_value=None):
        row = _row(proc.info, now)
        if _matches(row, name, user):
            rows.append(row)
    rows = _sort_rows(rows, sort)
    return rows[:limit] if limit else rows


def _process(pid: int) -> psutil.Process:
    try:
        return psutil.Process(pid)
    except psutil.NoSuchProcess:
        raise ToolError(f"there is no process with pid {pid}") from None
    except psutil.AccessDenied:
        raise ToolError(f"not allowed to look at process {pid}") from None


@tool(Risk.READ, shell=lambda a: f"ps uww -p {int(a['pid'])}")
def process_info(ctx: ToolContext, pid: int) -> dict:
    """Details of one process: command, user, parent, children, memory, threads, working directory."""
    proc = _process(pid)
    with proc.oneshot():
        info = proc.as_dict(
            _ROW_FIELDS + ["ppid", "exe", "cwd", "num_threads", "terminal", "nice"], ad_value=None
        )
        try:
            children = [c.pid for c in proc.children()]
        except psutil.Error:
            children = []
    row = _row(info, time.time())
    memory = info.get("memory_info")
    times = info.get("cpu_times")
    row.update(
        ppid=info.get("ppid"),
        exe=info.get("exe") or None,
        cwd=info.get("cwd"),
        virtual_memory=memory.vms if memory else None,
        cpu_seconds=round(times.user + times.system, 2) if times else None,
        threads=info.get("num_threads"),
        terminal=info.get("terminal"),
        nice=info.get("nice"),
        children=children,
    )
    return row


def _signal(name: str) -> signals.Signals:
    text = name.strip().upper()
    try:
        if text.isdigit():
            return signals.Signals(int(text))
        return signals.Signals[text if text.startswith("SIG") else "SIG" + text]
    except (KeyError, ValueError):
        raise ToolError(f"unknown signal {name!r} (for example TERM, KILL, HUP, INT, 9)") from None


def _refusal(pid: int) -> str | None:
    if pid <= 0:
        return f"pid {pid} would signal a whole process group or every process"
    if pid == 1:
        return "pid 1 is the init process"
    if pid == os.getpid():
        return "that is nlsh itself"
    return None


def _assess_kill(args: dict[str, Any], ctx: ToolContext) -> Assessment:
    pid, sig = int(args["pid"]), str(args.get("signal", "TERM"))
    refusal = _refusal(pid)
    if refusal:
        return Assessment(Risk.SYSTEM, (f"kill {pid}: {refusal}",))
    try:
        proc = psutil.Process(pid)
        described = f"{proc.name()} (pid {pid}, user {proc.username()})"
    except psutil.NoSuchProcess:
        described = f"pid {pid}, which is not running"
    except psutil.AccessDenied:
        described = f"pid {pid}, owned by another user"
    return Assessment(Risk.DESTRUCTIVE, (f"sends {sig.upper()} to {described}",))


def _render_kill(args: dict[str, Any]) -> str:
    sig = _signal(str(args.get("signal", "TERM"))).name.removeprefix("SIG")
    return f"kill -{sig} {int(args['pid'])}"


@tool(Risk.DESTRUCTIVE, shell=_render_kill, assess=_assess_kill)
def kill_process(ctx: ToolContext, pid: int, signal: str = "TERM") -> dict:
    """Send a signal to a process (TERM asks it to stop, KILL forces it, HUP, INT, STOP, CONT...)."""
    refusal = _refusal(pid)
    if refusal:
        raise ToolError(f"refusing to signal pid {pid}: {refusal}")
    sig = _signal(signal)
    proc = _process(pid)
    name = proc.name()
    try:
        proc.send_signal(sig)
    except psutil.NoSuchProcess:
        raise ToolError(f"process {pid} exited before the signal was sent") from None
    except psutil.AccessDenied:
        raise ToolError(f"not allowed to signal process {pid} ({name})") from None
    return {"pid": pid, "name": name, "signal": sig.name.removeprefix("SIG"), "sent": True}


def _partitions() -> list[Any]:
    """Real disks, plus whatever holds / : in a container that is an overlay, which psutil counts
    as a pseudo file system and would leave out."""
    parts = psutil.disk_partitions(all=False)
    if not any(p.mountpoint == "/" for p in parts):
        parts = [p for p in psutil.disk_partitions(all=True) if p.mountpoint == "/"][:1] + parts
    return parts


def _disks() -> list[dict[str, Any]]:
    disks, seen = [], set()
    for part in _partitions():
        # Containers bind-mount single files (/etc/hosts...) from one device: show each device once.
        if part.device in seen:
            continue
        try:
            usage = psutil.disk_usage(part.mountpoint)
        except OSError:
            continue
        seen.add(part.device)
        disks.append(
            {"mount": part.mountpoint, "device": part.device, "fstype": part.fstype,
             "total": usage.total, "used": usage.used, "free": usage.free, "percent": usage.percent}
        )
    return disks


@tool(Risk.READ, shell=lambda a: "uptime && nproc && free -b && df -h")
def system_info(ctx: ToolContext) -> dict:
    """The machine at a glance: CPUs and their use, memory and swap, disks, uptime and load."""
    memory, swap = psutil.virtual_memory(), psutil.swap_memory()
    boot = psutil.boot_time()
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {
        "hostname": os.uname().nodename,
        "cpu_count": psutil.cpu_count(logical=True),
        "cpu_percent": psutil.cpu_percent(interval=0.1),
        "load": load,
        "memory_total": memory.total,
        "memory_available": memory.available,
        "memory_percent": memory.percent,
        "swap_total": swap.total,
        "swap_used": swap.used,
        "disks": _disks(),
        "boot_time": _iso(boot),
        "uptime_seconds": int(time.time() - boot),
    }


TOOLS = [list_processes, process_info, kill_process, system_info]
