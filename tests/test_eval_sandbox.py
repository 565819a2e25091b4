"""tools/evalkit and tools/eval.py: real sandboxed runs (bubblewrap) of tiny synthetic tasks."""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[1] / "tools"
sys.path.insert(0, str(TOOLS))

from evalkit.copies import CopyRunner  # noqa: E402
from evalkit.runner import evaluate_task  # noqa: E402
from evalkit.sandbox import Sandbox  # noqa: E402
from evalkit.tasks import Task  # noqa: E402


def bwrap_works() -> bool:
    if not shutil.which("bwrap"):
        return False
    probe = subprocess.run(["bwrap", "--unshare-all", "--unshare-user", "--uid", "1000",
                            "--ro-bind", "/", "/", "true"], capture_output=True)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap missing or user namespaces not allowed "
                                "(apt-get install -y bubblewrap)")

MANIFEST = {
    "workdir": "/evaltree",
    "exec_shell": "/bin/bash",
    "env": {"GREETING": "hi from the manifest"},
    "entries": [
        {"path": "/evaltree", "type": "dir", "mode": "0o755", "mtime": None},
        {"path": "/evaltree/keep.txt", "type": "file", "mode": "0o644", "mtime": None, "text": "b\na\n"},
        {"path": "/evaltree/drop.txt", "type": "file", "mode": "0o644", "mtime": None, "text": "x"},
    ],
}
TASK = Task(index=1, fs=1, request="synthetic", difficulty=0, tags=("sandbox_safe",),
            bash="sort keep.txt; rm drop.txt", bash2="sort < /evaltree/keep.txt && rm -f /evaltree/drop.txt")


@pytest.fixture
def runner(tmp_path):
    return CopyRunner(Sandbox(), tmp_path, timeout=10)


def test_bash2_passes_and_empty_fails(runner):
    result = evaluate_task(runner, TASK, MANIFEST, "bash2", None)
    assert result.references[0].effect == {"/evaltree/drop.txt": ("deleted",)}
    assert result.references[0].output == "a\nb\n"
    assert result.passed("bash2") and result.references_agree()
    assert not result.passed("empty") and not result.passed("empty", lenient=True)


def test_each_run_gets_a_fresh_copy_as_uid_1000_without_network(runner):
    now = time.time()
    first = runner.run_command(MANIFEST, "rm drop.txt; id -u; echo $GREETING; pwd; cat /proc/net/dev", now)
    second = runner.run_command(MANIFEST, "cat drop.txt", now)
    lines = first.output.splitlines()
    assert lines[:3] == ["1000", "hi from the manifest", "/evaltree"]
    interfaces = [line.split(":")[0].strip() for line in lines[3:] if ":" in line]
    assert interfaces == ["lo"]
    assert second.output == "x"  # the first run's deletion did not reach the second copy


def test_writes_outside_the_tree_fail_and_time_limit_ends_the_run(tmp_path):
    runner = CopyRunner(Sandbox(), tmp_path, timeout=1)
    now = time.time()
    denied = runner.run_command(MANIFEST, "touch /usr/evalprobe; echo status=$?", now)
    assert denied.output.strip() == "status=1" and denied.effect == {}
    started = time.monotonic()
    slow = runner.run_command(MANIFEST, "sleep 60", now)
    assert slow.status is None and time.monotonic() - started < 30


def test_cli_writes_json_with_self_checks(tmp_path):
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (fixtures / "fs_1.manifest.json").write_text(json.dumps(MANIFEST))
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text(json.dumps({"index": 1, "fs": 1, "nl": "synthetic", "bash": TASK.bash,
                                 "bash2": TASK.bash2, "difficulty": 0,
                                 "tags_heuristic": ["sandbox_safe"]}) + "\n")
    out = tmp_path / "out.json"
    run = subprocess.run([sys.executable, str(TOOLS / "eval.py"), "--candidate", "empty",
                          "--tasks", str(tasks), "--json", str(out), "--quiet"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "bash2 s/l" in run.stdout and "empty s/l" in run.stdout
    document = json.loads(out.read_text())
    assert "--candidate empty" in document["command"] and document["date"]
    safe = document["summary"]["groups"]["safe"]
    assert (safe["bash2"]["strict"], safe["empty"]["strict"]) == (1, 0)
    assert document["tasks"][0]["runs"]["empty"]["command"] == ""


@pytest.mark.skipif(not shutil.which("busybox"), reason="busybox missing (apt-get install -y busybox)")
def test_busybox_fixtures_get_busybox_tools(tmp_path):
    from evalkit.sandbox import make_busybox_bin

    sandbox = Sandbox(busybox_bin=make_busybox_bin(tmp_path / "applets"))
    runner = CopyRunner(sandbox, tmp_path, timeout=10)
    manifest = dict(MANIFEST, exec_shell="/bin/sh (busybox)")
    outcome = runner.run_command(manifest, "ls --help 2>&1 | head -n 1", time.time())
    assert "BusyBox" in outcome.output
    assert outcome.effect == {}  # the applet directory is a mount, not part of the tree
