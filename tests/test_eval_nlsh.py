"""tools/evalkit: the `print` and `run` candidates, end to end with nlsh and a scripted model
(a JSON script replayed as the model's replies), inside the real bubblewrap sandbox."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from evalkit.candidates import make_candidate  # noqa: E402
from evalkit.copies import CopyRunner  # noqa: E402
from evalkit.runner import evaluate_task  # noqa: E402
from evalkit.sandbox import Sandbox  # noqa: E402
from evalkit.tasks import Task  # noqa: E402

from test_eval_sandbox import MANIFEST, bwrap_works  # noqa: E402

pytestmark = pytest.mark.skipif(not bwrap_works(), reason="bubblewrap missing or user namespaces not allowed "
                                "(apt-get install -y bubblewrap)")

TASK = Task(index=1, fs=1, request="synthetic request", difficulty=0, tags=("sandbox_safe",),
            bash="sort keep.txt; rm drop.txt", bash2="sort < /evaltree/keep.txt && rm -f /evaltree/drop.txt")


def scripted(tmp_path, command: str) -> str:
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"steps": [{"tool": "shell", "args": {"command": command}}]}]))
    return f"scripted:{script}"


def evaluate(tmp_path, mode: str, command: str):
    workspace = tmp_path / "work"
    workspace.mkdir()
    candidate = make_candidate(mode, scripted(tmp_path, command), nlsh_timeout=120, workspace=workspace)
    runner = CopyRunner(candidate.dress(Sandbox()), workspace, timeout=10)
    return evaluate_task(runner, TASK, MANIFEST, mode, candidate)


def test_print_candidate_runs_what_nlsh_printed(tmp_path):
    right = evaluate(tmp_path, "print", "sort keep.txt; rm drop.txt")
    outcome = right.runs["print"]
    assert outcome.extra["nlsh_status"] == 0, outcome.extra["nlsh_stderr"]
    assert "sort keep.txt" in outcome.command and "rm drop.txt" in outcome.command
    assert right.passed("print")
    assert "print_mode_effect" not in outcome.extra  # printing changed nothing


def test_print_candidate_with_the_wrong_command_fails(tmp_path):
    wrong = evaluate(tmp_path, "print", "sort keep.txt")  # forgets to delete
    assert wrong.runs["print"].extra["nlsh_status"] == 0
    assert not wrong.passed("print") and not wrong.passed("print", lenient=True)


def test_run_candidate_is_scored_on_what_nlsh_did(tmp_path):
    result = evaluate(tmp_path, "run", "sort keep.txt; rm drop.txt")
    outcome = result.runs["run"]
    assert outcome.note == "", outcome.extra["nlsh_stderr"]
    assert outcome.effect == {"/evaltree/drop.txt": ("deleted",)}
    assert outcome.output.splitlines() == ["a", "b"]
    assert result.passed("run")


def test_references_see_the_same_machine_as_nlsh(tmp_path):
    """nlsh's own mounts (venv, repo) show in `ls /`; the references must see them too."""
    workspace = tmp_path / "work"
    workspace.mkdir()
    candidate = make_candidate("run", scripted(tmp_path, "ls /"), nlsh_timeout=120, workspace=workspace)
    runner = CopyRunner(candidate.dress(Sandbox()), workspace, timeout=10)
    listing = Task(2, 1, "synthetic listing", "ls /", "ls -1 /", 0, ("sandbox_safe",))
    manifest = dict(MANIFEST, workdir="/")
    result = evaluate_task(runner, listing, manifest, "run", candidate)
    assert "evaltree" in result.references[0].output
    assert result.passed("run"), (result.runs["run"].output, result.references[0].output)


def test_commands_candidate_scores_a_file_of_commands(tmp_path):
    """Commands written elsewhere are run like printed ones; a task the file lacks is not answered."""
    listed = tmp_path / "commands.jsonl"
    listed.write_text(json.dumps({"index": 1, "command": "sort keep.txt; rm drop.txt"}) + "\n"
                      + json.dumps({"index": 2, "command": "sort keep.txt"}) + "\n")
    candidate = make_candidate("commands", commands=listed)
    workspace = tmp_path / "work"
    workspace.mkdir()
    runner = CopyRunner(Sandbox(), workspace, timeout=10)
    assert evaluate_task(runner, TASK, MANIFEST, "commands", candidate).passed("commands")
    wrong = Task(**{**TASK.__dict__, "index": 2})
    assert not evaluate_task(runner, wrong, MANIFEST, "commands", candidate).passed("commands")
    missing = evaluate_task(runner, Task(**{**TASK.__dict__, "index": 3}), MANIFEST, "commands", candidate)
    assert missing.runs["commands"].note == "not_listed" and not missing.passed("commands")


def test_a_command_cannot_take_the_model_away_from_later_tasks(tmp_path):
    """A command under evaluation runs in the dressed sandbox, where nlsh's cache is writable; one
    that deletes all it reaches must not break the model link (and its check record) for the next."""
    from evalkit.candidates import Nlsh
    from evalkit.model_files import shared_cache

    from nlsh.models.catalog import CATALOG, DEFAULT_LOCAL
    from nlsh.models.gguf_store import _identity

    host_models = tmp_path / "host-models"
    host_models.mkdir()
    model = host_models / CATALOG[DEFAULT_LOCAL].filename  # a stand-in under the catalog's name
    model.write_bytes(b"GGUF" + b"\0" * 64)
    workspace = tmp_path / "work"
    workspace.mkdir()
    cache, model_dirs = shared_cache(workspace, model)
    candidate = Nlsh("print", cache_dir=str(cache), model_dirs=tuple(model_dirs))
    runner = CopyRunner(candidate.dress(Sandbox()), workspace, timeout=10)
    manifest = dict(MANIFEST, workdir="/")
    runner.run_command(manifest, "rm -rf tmp/ /tmp/nlsh-home/cache/models/*; touch /tmp/nlsh-home/cache/kv-note", 0.0)
    assert (cache / "models" / model.name).is_symlink() and model.exists()
    record = json.loads((cache / "models" / "verified.json").read_text())
    assert record == {_identity(model): CATALOG[DEFAULT_LOCAL].sha256}  # nlsh finds it checked
    assert (cache / "kv-note").exists()  # the rest of the cache stays writable (KV prefixes, the bank)
