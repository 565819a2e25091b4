"""A shell-profile model recalls the past by writing `nlsh history ...`: that line is read-only, runs
without a question, and finds what the history holds."""

from nlsh.exitcodes import ExitCode
from nlsh.safety.risk import Risk
from nlsh.store.history import HistoryStore
from sessionkit import harness, shell_plan
from test_shell_risk_exports import risk


def test_nlsh_subcommands_are_classified_by_what_they_do():
    assert risk("nlsh history --since yesterday") == Risk.READ
    assert risk("nlsh history show 3 --json") == Risk.READ
    assert risk("nlsh tools") == Risk.READ
    assert risk("nlsh history import ~/.bash_history") == Risk.WRITE
    assert risk("nlsh model pull qwen") == Risk.NETWORK
    assert risk("nlsh undo") == Risk.DESTRUCTIVE
    assert risk("nlsh delete everything") == Risk.UNKNOWN  # a request: whatever a model plans
    assert risk("nlsh history; nlsh wipe the disk") == Risk.UNKNOWN


def test_a_recall_line_runs_without_a_question_and_finds_the_past(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("NLSH_HOME", str(home))
    from nlsh.paths import history_db

    store = HistoryStore.open(history_db())
    first = harness(tmp_path, shell_plan("echo archived-the-reports"), store=store)
    assert first.run("archive the quarterly reports") == ExitCode.OK
    recall = harness(tmp_path, shell_plan("nlsh history quarterly"), store=store)
    assert recall.run("what did I do with the reports") == ExitCode.OK
    assert "archive the quarterly reports" in recall.out.getvalue()

