"""The session records every request, replays a plan that worked, and pages in past examples."""

import json
import os

from nlsh.exitcodes import ExitCode
from nlsh.store.history import HistoryStore
from sessionkit import harness, shell_plan


def open_store(tmp_path):
    return HistoryStore.open(tmp_path / "history.db")


def test_a_request_is_recorded_with_its_plan_and_steps(tmp_path):
    store = open_store(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    h = harness(work, shell_plan("echo recorded"), store=store)
    assert h.run("say recorded") == ExitCode.OK
    [row] = store.search("recorded")
    assert row["decision"] == "ran" and row["exit_code"] == 0 and row["cwd"] == str(work)
    assert "echo recorded" in row["commands"]


def test_the_same_request_in_the_same_place_replays_the_plan_without_the_model(tmp_path):
    store = open_store(tmp_path)
    h = harness(tmp_path, shell_plan("echo first"), store=store)
    assert h.run("greet") == ExitCode.OK
    assert h.run("greet") == ExitCode.OK
    assert len(h.model.prompts) == 1
    assert h.out.getvalue() == "first\nfirst\n"
    assert "remembered" in h.err.getvalue()


def test_fresh_asks_the_model_again_and_failures_are_never_replayed(tmp_path):
    store = open_store(tmp_path)
    h = harness(tmp_path, shell_plan("false"), shell_plan("echo second"), store=store)
    assert h.run("try") == ExitCode.STEP_FAILED
    assert h.run("try") == ExitCode.OK  # the failed plan was not locked
    assert len(h.model.prompts) == 2
    f = harness(tmp_path, shell_plan("echo third"), store=store, fresh=True)
    assert f.run("try") == ExitCode.OK and f.out.getvalue() == "third\n"


def test_a_locked_plan_still_passes_the_policy(tmp_path):
    store = open_store(tmp_path)
    (tmp_path / "a").write_text("a")
    from nlsh.safety.policy import Grant

    h = harness(tmp_path, shell_plan("rm -f a"), store=store, grant=Grant(yes=True))
    assert h.run("clean") == ExitCode.OK
    again = harness(tmp_path, store=store)  # no --yes this time, no terminal
    assert again.run("clean") == ExitCode.REFUSED
    assert again.model.prompts == []


def test_corrected_requests_are_paged_in_as_examples_and_plans_that_merely_ran_are_not(tmp_path):
    store = open_store(tmp_path)
    for name in ("one", "two", "three"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "file").write_text("x")
    ran = harness(tmp_path / "one", shell_plan("grep -c x file"), store=store)
    assert ran.run("count the lines with errors") == ExitCode.OK
    corrected = store.begin("show folder sizes sorted", cwd=str(tmp_path / "two"), mode="repl", model="m")
    store.set_plan(corrected, json.dumps(shell_plan("du -sh * | sort -h")), "ctx")
    store.finish(corrected, decision="edited", outcome="ok", exit_code=0)
    asked = harness(tmp_path / "three", shell_plan("wc -l file"), store=store)
    assert asked.run("count the lines in file, show folder sizes") == ExitCode.OK
    context = asked.model.prompts[0].messages[0]["content"]
    assert "show folder sizes sorted" in context and "du -sh * | sort -h" in context
    assert "grep -c x" not in context  # exit 0 is no proof that a plan did what was asked


def test_history_that_cannot_be_written_does_not_stop_the_request(tmp_path):
    store = open_store(tmp_path)
    store.close()
    os.chmod(tmp_path / "history.db", 0o444)
    h = harness(tmp_path, shell_plan("echo still-ran"))

    class Broken:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                from nlsh.store.history import StoreError

                raise StoreError("the database is read-only")
            return fail

    h.session.store = Broken()
    assert h.run("go") == ExitCode.OK
    assert h.out.getvalue() == "still-ran\n"
    assert h.err.getvalue().count("history was not kept") == 1


def test_an_observed_answer_is_never_replayed(tmp_path):
    store = open_store(tmp_path)
    first = harness(tmp_path, shell_plan("ls | wc -l", observe=True), {"steps": [], "answer": "There are 0 files."},
                    store=store)
    assert first.run("how many files are here") == ExitCode.OK
    (tmp_path / "new").write_text("x")
    again = harness(tmp_path, shell_plan("ls | wc -l", observe=True), {"steps": [], "answer": "Now 2."}, store=store)
    assert again.run("how many files are here") == ExitCode.OK
    assert len(again.model.prompts) == 2  # the model was asked again, nothing stale replayed
    assert again.out.getvalue() == "Now 2.\n"
