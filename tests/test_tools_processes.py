"""Process tools against real child processes started by the tests.

Status values and CPU percentages are never asserted: they depend on how loaded the machine is."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path

import psutil
import pytest

from nlsh.safety.risk import Risk
from nlsh.tools.context import ToolContext, ToolError
from nlsh.tools.processes import TOOLS, kill_process, list_processes, process_info, system_info
from nlsh.tools.registry import ArgumentError


@pytest.fixture
def ctx(tmp_path, monkeypatch):
    monkeypatch.setenv("NLSH_HOME", str(tmp_path / "nlsh-home"))
    return ToolContext(cwd=tmp_path)


def call(t, ctx, **args):
    result = t.run(ctx, t.validate(args))
    return result.rows


@pytest.fixture
def sleeper():
    """A real child process with a unique marker in its command line, always reaped."""
    marker = f"nlsh-test-{uuid.uuid4().hex}"
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", marker])
    child.marker = marker
    yield child
    if child.poll() is None:
        child.kill()
    child.wait(timeout=10)


def missing_pid() -> int:
    """A pid the kernel can never hand out."""
    return int(Path("/proc/sys/kernel/pid_max").read_text()) + 1


def run_shell(line: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=60)


def test_module_exports_the_four_tools_with_their_risks():
    assert {t.name: t.risk for t in TOOLS} == {
        "list_processes": Risk.READ,
        "process_info": Risk.READ,
        "kill_process": Risk.DESTRUCTIVE,
        "system_info": Risk.READ,
    }


def test_list_finds_the_child_by_its_marker(ctx, sleeper):
    rows = call(list_processes, ctx, name=sleeper.marker)
    assert [r["pid"] for r in rows] == [sleeper.pid]
    row = rows[0]
    assert row["user"] == psutil.Process().username()
    assert "python" in row["name"].lower()
    assert sleeper.marker in row["command"]
    assert isinstance(row["cpu"], float) and row["cpu"] >= 0
    assert isinstance(row["memory"], int) and row["memory"] > 0
    assert isinstance(row["status"], str)
    started = datetime.fromisoformat(row["started"])
    assert abs((datetime.now() - started).total_seconds()) < 600


def test_name_filter_ignores_case_and_user_filter_keeps_one_user(ctx, sleeper):
    assert [r["pid"] for r in call(list_processes, ctx, name=sleeper.marker.upper())] == [sleeper.pid]
    me = psutil.Process().username()
    mine = call(list_processes, ctx, user=me)
    assert sleeper.pid in {r["pid"] for r in mine}
    assert {r["user"] for r in mine} == {me}
    assert call(list_processes, ctx, user="nlsh-no-such-user") == []


def test_sorting_and_limit(ctx, sleeper):
    by_pid = call(list_processes, ctx, sort="pid")
    assert [r["pid"] for r in by_pid] == sorted(r["pid"] for r in by_pid)
    by_memory = call(list_processes, ctx, sort="memory")
    sizes = [r["memory"] or 0 for r in by_memory]
    assert sizes == sorted(sizes, reverse=True)
    by_cpu = call(list_processes, ctx, sort="cpu")
    assert [r["cpu"] for r in by_cpu] == sorted((r["cpu"] for r in by_cpu), reverse=True)
    by_name = call(list_processes, ctx, sort="name")
    assert [r["name"].lower() for r in by_name] == sorted(r["name"].lower() for r in by_name)
    assert len(call(list_processes, ctx, sort="memory", limit=2)) == 2


def test_bad_list_arguments(ctx):
    with pytest.raises(ToolError, match="limit"):
        call(list_processes, ctx, limit=-1)
    with pytest.raises(ArgumentError):
        list_processes.validate({"sort": "colour"})


def test_process_info_of_the_child(ctx, sleeper):
    info = call(process_info, ctx, pid=sleeper.pid)[0]
    assert info["pid"] == sleeper.pid
    assert info["ppid"] == os.getpid()
    assert sleeper.marker in info["command"]
    assert info["threads"] >= 1
    assert info["virtual_memory"] >= info["memory"] > 0
    parent = call(process_info, ctx, pid=os.getpid())[0]
    assert sleeper.pid in parent["children"]


def test_process_info_of_a_missing_pid(ctx):
    with pytest.raises(ToolError, match="no process"):
        call(process_info, ctx, pid=missing_pid())


def test_kill_terminates_the_child(ctx, sleeper):
    row = call(kill_process, ctx, pid=sleeper.pid)[0]
    assert row == {"pid": sleeper.pid, "name": row["name"], "signal": "TERM", "sent": True}
    assert sleeper.wait(timeout=20) == -signal.SIGTERM


@pytest.mark.parametrize("given", ["KILL", "sigkill", "9"])
def test_kill_accepts_signal_names_and_numbers(ctx, sleeper, given):
    assert call(kill_process, ctx, pid=sleeper.pid, signal=given)[0]["signal"] == "KILL"
    assert sleeper.wait(timeout=20) == -signal.SIGKILL


@pytest.mark.parametrize("pid", [0, 1, -1, -5])
def test_kill_refuses_init_groups_and_everything(ctx, pid):
    with pytest.raises(ToolError, match="refusing"):
        call(kill_process, ctx, pid=pid)
    assert kill_process.assess({"pid": pid, "signal": "TERM"}, ctx).risk == Risk.SYSTEM


def test_kill_refuses_nlsh_itself_and_bad_input(ctx, sleeper):
    with pytest.raises(ToolError, match="refusing"):
        call(kill_process, ctx, pid=os.getpid())
    with pytest.raises(ToolError, match="unknown signal"):
        call(kill_process, ctx, pid=sleeper.pid, signal="SIGNOPE")
    with pytest.raises(ToolError, match="no process"):
        call(kill_process, ctx, pid=missing_pid())
    assert sleeper.poll() is None  # none of the above touched the child


def test_kill_assessment_names_the_process(ctx, sleeper):
    name = psutil.Process(sleeper.pid).name()
    verdict = kill_process.assess({"pid": sleeper.pid, "signal": "KILL"}, ctx)
    assert verdict.risk == Risk.DESTRUCTIVE
    assert any(name in reason and str(sleeper.pid) in reason and "KILL" in reason for reason in verdict.reasons)
    gone = kill_process.assess({"pid": missing_pid(), "signal": "TERM"}, ctx)
    assert "not running" in gone.reasons[0]


def test_system_info(ctx):
    info = call(system_info, ctx)[0]
    assert info["cpu_count"] >= 1
    assert 0 <= info["cpu_percent"] <= 100
    assert 0 < info["memory_available"] <= info["memory_total"]
    assert info["uptime_seconds"] > 0
    datetime.fromisoformat(info["boot_time"])
    assert info["load"] is None or len(info["load"]) == 3
    root = [d for d in info["disks"] if d["mount"] == "/"]
    assert root and root[0]["total"] >= root[0]["free"] > 0


# The rendered shell lines: the read-only ones are run for real, the kill line on our own child.


def test_rendered_ps_line_runs(ctx):
    line = list_processes.as_shell(list_processes.validate({"sort": "memory", "limit": 5}))
    assert line == "ps aux --sort=-rss | head -n 6"
    done = run_shell(line)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert "PID" in lines[0] and len(lines) == 6


def test_rendered_user_line_runs(ctx):
    me = psutil.Process().username()
    line = list_processes.as_shell(list_processes.validate({"user": me, "sort": "pid"}))
    assert line == f"ps u -U {me} --sort=pid"
    done = run_shell(line)
    assert done.returncode == 0 and str(os.getpid()) in done.stdout


def test_rendered_name_filter_finds_the_child(ctx, sleeper):
    line = list_processes.as_shell(list_processes.validate({"name": sleeper.marker}))
    assert line == f"pgrep -a -i -f -- {sleeper.marker}"
    done = run_shell(line)
    assert done.returncode == 0
    assert f"{sleeper.pid} " in done.stdout


def test_rendered_lines_quote_hostile_arguments(ctx):
    line = list_processes.as_shell(list_processes.validate({"name": "x; rm -rf ~", "user": "$(id)"}))
    assert line == "pgrep -a -i -f -u '$(id)' -- 'x; rm -rf ~'"


def test_rendered_info_and_system_lines_run(ctx, sleeper):
    info_line = process_info.as_shell({"pid": sleeper.pid})
    assert info_line == f"ps uww -p {sleeper.pid}"
    done = run_shell(info_line)
    assert done.returncode == 0 and sleeper.marker in done.stdout
    done = run_shell(system_info.as_shell({}))
    assert done.returncode == 0 and "load average" in done.stdout


def test_rendered_kill_line_kills_the_child(ctx, sleeper):
    line = kill_process.as_shell({"pid": sleeper.pid, "signal": "term"})
    assert line == f"kill -TERM {sleeper.pid}"
    assert run_shell(line).returncode == 0
    assert sleeper.wait(timeout=20) == -signal.SIGTERM
