"""tools/evalkit: the scoring rule, the summary, and the task-file reader, on synthetic cases."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from evalkit import report  # noqa: E402
from evalkit.runner import TaskResult  # noqa: E402
from evalkit.scoring import Outcome, output_lines, outputs_match, passes  # noqa: E402
from evalkit.tasks import Task, load_tasks  # noqa: E402

FILE_STATE = ("file", 0o644, "digest-a")


def test_trailing_blanks_and_blank_edge_lines_do_not_count():
    assert output_lines("\n\n a  \nb\t\n\n") == [" a", "b"]
    assert outputs_match("a\nb\n", "\na   \nb\n\n")
    assert not outputs_match(" a\nb", "a\nb")  # leading blanks on a line do count
    assert not outputs_match("a\n\nb", "a\nb")  # and so do blank lines in the middle


def test_line_order_matters_only_when_lenient():
    assert not outputs_match("b\na\n", "a\nb\n")
    assert outputs_match("b\na\n", "a\nb\n", lenient=True)
    assert not outputs_match("a\na\n", "a\nb\n", lenient=True)  # same lines, not a set


def test_effect_must_match_a_deleted_file():
    deleted = Outcome(output="", effect={"/tb/x": ("deleted",)})
    untouched = Outcome(output="", effect={})
    assert passes(deleted, [deleted]) and not passes(untouched, [deleted])


def test_effect_must_match_a_changed_files_bytes():
    wrote_a = Outcome(output="", effect={"/f": ("changed", FILE_STATE)})
    wrote_b = Outcome(output="", effect={"/f": ("changed", ("file", 0o644, "digest-b"))})
    assert not passes(wrote_b, [wrote_a])
    assert passes(wrote_b, [wrote_a, wrote_b])  # either reference will do


def test_effect_and_output_must_come_from_the_same_reference():
    ref1 = Outcome(output="one", effect={})
    ref2 = Outcome(output="two", effect={"/f": ("added", FILE_STATE)})
    mixed = Outcome(output="one", effect={"/f": ("added", FILE_STATE)})
    assert not passes(mixed, [ref1, ref2])


def test_an_outcome_with_a_note_never_passes():
    ref = Outcome(output="", effect={})
    assert not passes(Outcome(output="", effect={}, note="invalid_plan"), [ref])


def task(index, fs, difficulty, safe=True):
    return Task(index, fs, "synthetic", "true", "true", difficulty, ("sandbox_safe",) if safe else ())


def test_summary_counts_per_group_and_notes():
    ok = Outcome(output="x", effect={})
    wrong = Outcome(output="y", effect={})
    other = Outcome(output="z", effect={})
    refused = Outcome(output="", effect={}, note="refused", seconds=2.0)
    results = [
        TaskResult(task(1, 1, 0), [ok, ok], {"bash2": ok, "empty": wrong, "print": ok}),
        TaskResult(task(2, 1, 1), [ok, ok], {"bash2": ok, "empty": wrong, "print": refused}),
        TaskResult(task(3, 2, 1, safe=False), [ok, wrong], {"bash2": other, "empty": other, "print": other}),
    ]
    summary = report.summarise(results, "print")
    groups = summary["groups"]
    assert groups["all"]["print"]["strict"] == 1 and groups["all"]["n"] == 3
    assert groups["safe"]["n"] == 2 and groups["safe"]["bash2"]["strict"] == 2
    assert groups["fs2"]["print"]["strict"] == 0 and groups["difficulty1"]["n"] == 2
    assert groups["all"]["references_agree"] == 2
    assert summary["notes"] == {"refused": 1}
    assert "print s/l" in report.format_table(summary)
    assert report.self_check_warnings(summary) == []


def test_task_file_reader(tmp_path):
    path = tmp_path / "tasks.jsonl"
    rows = [{"index": 4, "fs": 2, "nl": "r", "bash": "a", "bash2": "b", "difficulty": 1,
             "tags_heuristic": ["sandbox_safe"]},
            {"index": 5, "fs": 1, "nl": "s", "bash": "c", "difficulty": 2, "tags_heuristic": ["network"]}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    first, second = load_tasks(path)
    assert (first.index, first.fs, first.bash2, first.safe) == (4, 2, "b", True)
    assert (second.bash2, second.safe) == ("c", False)  # one reference: it is its own second
