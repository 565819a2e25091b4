"""tools/evalkit/seed.py and `eval.py --seed-history`: a seeded history reaches the model as
examples, is never replayed as a remembered plan, and every nlsh run gets its own copy."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from evalkit.candidates import make_candidate  # noqa: E402
from evalkit.copies import CopyRunner  # noqa: E402
from evalkit.runner import evaluate_task  # noqa: E402
from evalkit.sandbox import Sandbox  # noqa: E402
from evalkit.seed import build_seed_db, load_seed  # noqa: E402
from evalkit.tasks import Task  # noqa: E402

from nlsh.exitcodes import ExitCode  # noqa: E402
from nlsh.store.history import HistoryStore  # noqa: E402
from sessionkit import harness, shell_plan  # noqa: E402
from test_eval_sandbox import MANIFEST, bwrap_works  # noqa: E402

SEED_FILE = Path(__file__).resolve().parents[1] / "tools" / "eval_history_seed.jsonl"
needs_bwrap = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap missing or user namespaces not allowed")


def small_seed(tmp_path) -> Path:
    path = tmp_path / "seed.jsonl"
    lines = [{"request": "pack the folder site into site.tar.gz", "command": "tar -czf site.tar.gz site"},
             {"request": "sort names.txt alphabetically", "command": "sort names.txt"}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_the_committed_seed_is_sixty_or_so_distinct_lines_of_valid_bash():
    pairs = load_seed(SEED_FILE)
    assert 50 <= len(pairs) <= 80
    assert len({request for request, _ in pairs}) == len(pairs)
    for _request, command in pairs:  # bash -n parses without running anything
        check = subprocess.run(["bash", "-n", "-c", command], capture_output=True, text=True)
        assert check.returncode == 0, (command, check.stderr)


def test_a_seed_line_without_a_command_is_rejected_with_its_line_number(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"request": "ok", "command": "true"}\n\n{"request": "no command"}\n')
    with pytest.raises(ValueError, match="bad.jsonl:3"):
        load_seed(path)


def test_the_seeded_database_holds_corrected_successful_shell_plans(tmp_path):
    db = build_seed_db(small_seed(tmp_path), tmp_path / "seed")
    rows = sqlite3.connect(db).execute(
        "SELECT text, decision, exit_code, plan_json, context_key FROM requests ORDER BY started_us DESC").fetchall()
    assert [r[0] for r in rows] == ["pack the folder site into site.tar.gz", "sort names.txt alphabetically"]
    assert all(r[1] == "edited" and r[2] == 0 and r[4] == "seed" for r in rows)
    assert json.loads(rows[0][3]) == {"steps": [{"tool": "shell", "args": {"command": "tar -czf site.tar.gz site"}}]}
    with HistoryStore.open(db) as store:
        assert store.examples("pack the logs folder into a tarball", 3)[0][0] == "pack the folder site into site.tar.gz"


def test_a_seeded_example_reaches_the_model_and_the_same_text_is_not_replayed(tmp_path):
    """Exactly a seed's text, without --fresh: the model is still asked (the seed's context key
    matches no session), and the seed shows in its context as an accepted example."""
    db = build_seed_db(small_seed(tmp_path), tmp_path / "seed")
    with HistoryStore.open(db) as store:
        h = harness(tmp_path, shell_plan("echo from-the-model"), store=store, dry_run=True)
        assert h.run("sort names.txt alphabetically") == ExitCode.OK
    assert len(h.model.prompts) == 1
    context = h.model.prompts[0].messages[0]["content"]
    assert 'Earlier the person asked "sort names.txt alphabetically"' in context
    assert "sort names.txt" in context and "remembered" not in h.err.getvalue()


def run_with_seed(tmp_path, mode: str, request: str, command: str):
    workspace = tmp_path / "work"
    workspace.mkdir()
    db = build_seed_db(small_seed(tmp_path), workspace / "seed")
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"steps": [{"tool": "shell", "args": {"command": command}}]}]))
    candidate = make_candidate(mode, f"scripted:{script}", nlsh_timeout=120, workspace=workspace,
                               history_seed=db)
    runner = CopyRunner(candidate.dress(Sandbox()), workspace, timeout=10)
    task = Task(index=1, fs=1, request=request, difficulty=0, tags=("sandbox_safe",),
                bash=command, bash2=command)
    return db, evaluate_task(runner, task, MANIFEST, mode, candidate)


@needs_bwrap
def test_the_sandboxed_nlsh_keeps_history_in_its_copy_of_the_seed(tmp_path):
    """History is on inside: by the time the step runs, nlsh has recorded the request in the
    database of its home, which already holds the seed (so the examples could be read)."""
    probe = "grep -a -l probe-7351 /tmp/nlsh-home/data/history.db*"
    db, result = run_with_seed(tmp_path, "run", "look for probe-7351", probe)
    outcome = result.runs["run"]
    assert outcome.note == "", outcome.extra["nlsh_stderr"]
    assert outcome.output.split(), outcome.extra["nlsh_stderr"]
    seen = subprocess.run(["grep", "-a", "-c", "probe-7351", str(db)], capture_output=True, text=True)
    assert seen.stdout.strip() == "0"  # the run wrote to its own copy only


@needs_bwrap
def test_print_with_a_seed_asks_the_model_and_leaves_the_seed_untouched(tmp_path):
    db, result = run_with_seed(tmp_path, "print", "sort names.txt alphabetically", "sort keep.txt")
    outcome = result.runs["print"]
    assert outcome.extra["nlsh_status"] == 0, outcome.extra["nlsh_stderr"]
    assert outcome.command == "sort keep.txt"  # the model's answer, not the seed's command
    assert "remembered" not in outcome.extra["nlsh_stderr"]
    assert sqlite3.connect(db).execute("SELECT count(*) FROM requests").fetchone() == (2,)  # run wrote to its copy


def test_without_a_seed_history_stays_off():
    candidate = make_candidate("print", "scripted:/nonexistent.json")
    task = Task(1, 1, "anything", "true", "true", 0, ())
    assert "--no-history" in candidate.argv(task) and "--fresh" not in candidate.argv(task)
