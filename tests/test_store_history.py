import json
import sqlite3
from datetime import datetime, timedelta

import pytest

from nlsh.store.history import HistoryStore
from nlsh.store.redact import MARK


@pytest.fixture
def store(tmp_path):
    s = HistoryStore.open(tmp_path / "data" / "history.db")
    yield s
    s.close()


def plan(command: str) -> str:
    return json.dumps({"steps": [{"tool": "shell", "args": {"command": command}}]})


def record(store, text, *, command="true", code=0, decision="ran", cwd="/home/ana", key="ctx", files=()):
    rid = store.begin(text, cwd=cwd, mode="repl", model="test-model", host="box")
    store.set_plan(rid, plan(command), key)
    store.add_step(rid, index=0, tool="shell", args={"command": command}, command=command, risk="read",
                   exit_code=code, duration=0.25, output="some output\n", files=list(files))
    store.finish(rid, decision=decision, outcome="ok" if code == 0 else f"exit {code}", exit_code=code)
    return rid


def past(store, text, when: datetime, *, cwd="/home/ana", code=0, command=None):
    """A finished request at a chosen time (through the bulk path, as imports are)."""
    steps = [{"tool": "shell", "command": command, "args": {"command": command}, "exit_code": code}] if command else []
    store.add_many([{"started": when.timestamp(), "ended": when.timestamp() + 1, "text": text, "cwd": cwd,
                     "mode": "repl", "decision": "ran", "exit_code": code, "outcome": "", "steps": steps}])


def test_open_creates_the_directory(tmp_path):
    path = tmp_path / "a" / "b" / "history.db"
    HistoryStore.open(path).close()
    assert path.is_file()


def test_a_recorded_request_comes_back_whole(store):
    rid = record(store, "find big logs", command="du -ah /var/log | sort -h", files=["/var/log/big.log"])
    entry = store.get(rid)
    assert entry["text"] == "find big logs"
    assert (entry["cwd"], entry["host"], entry["mode"], entry["model"]) == ("/home/ana", "box", "repl", "test-model")
    assert (entry["decision"], entry["outcome"], entry["exit_code"]) == ("ran", "ok", 0)
    assert json.loads(entry["plan_json"]) == json.loads(plan("du -ah /var/log | sort -h"))
    [step] = entry["steps"]
    assert step["command"] == "du -ah /var/log | sort -h"
    assert step["args"] == {"command": "du -ah /var/log | sort -h"}
    assert (step["risk"], step["exit_code"], step["duration"]) == ("read", 0, 0.25)
    assert step["output"] == "some output\n"
    assert step["files"] == ["/var/log/big.log"]


def test_search_finds_request_words_and_command_words(store):
    record(store, "tidy up my downloads", command="find ~/Downloads -name '*.part' -delete")
    record(store, "how much disk is used", command="df -h")
    assert [r["text"] for r in store.search("downloads")] == ["tidy up my downloads"]
    assert [r["text"] for r in store.search("part")] == ["tidy up my downloads"]  # from the command
    assert [r["text"] for r in store.search("df")] == ["how much disk is used"]
    assert store.search("tidy disk") == []  # all words must match
    hit = store.search("df")[0]
    assert hit["commands"] == ["df -h"] and hit["decision"] == "ran" and hit["exit_code"] == 0


def test_search_treats_punctuation_and_operators_literally(store):
    record(store, 'grep "NOT FOUND" in app.log', command="grep -c 'NOT FOUND' app.log")
    assert len(store.search('"NOT FOUND" (app.log*')) == 1  # words: not, found, app, log
    assert store.search("NOT OR grep") == []  # OR is a word here, and no request contains it
    assert store.search("***") == store.search(None)  # no words: everything


def test_search_lists_newest_first_with_a_limit(store):
    for i in range(5):
        record(store, f"step number {i}")
    assert [r["text"] for r in store.search("step", limit=3)] == ["step number 4", "step number 3", "step number 2"]
    assert [r["text"] for r in store.search(limit=2)] == ["step number 4", "step number 3"]


def test_time_range_search(store):
    now = datetime.now()
    past(store, "backup photos", now - timedelta(days=9))
    past(store, "backup mail", now - timedelta(days=2))
    past(store, "backup code", now - timedelta(hours=1))
    in_range = store.search(since=now - timedelta(days=3), until=now - timedelta(days=1))
    assert [r["text"] for r in in_range] == ["backup mail"]
    assert [r["text"] for r in store.search("backup", since=now - timedelta(days=3))] == ["backup code", "backup mail"]
    assert [r["text"] for r in store.search("backup", until=now - timedelta(days=3))] == ["backup photos"]


def test_imported_older_entries_sort_by_their_time_not_by_when_they_were_added(store):
    now = datetime.now()
    record(store, "deploy the site today")
    past(store, "deploy the site last year", now - timedelta(days=365))
    assert [r["text"] for r in store.search("deploy")] == ["deploy the site today", "deploy the site last year"]
    assert store.recent_texts(2) == ["deploy the site today", "deploy the site last year"]


def test_cwd_filter_includes_subdirectories_but_not_lookalikes(store):
    record(store, "a", cwd="/srv/app")
    record(store, "b", cwd="/srv/app/sub")
    record(store, "c", cwd="/srv/application")
    assert sorted(r["text"] for r in store.search(cwd="/srv/app")) == ["a", "b"]
    assert sorted(r["text"] for r in store.search(cwd="/srv/app/")) == ["a", "b"]


def test_failed_filter(store):
    record(store, "good", code=0)
    record(store, "bad exit", code=2)
    record(store, "refused", code=3, decision="refused")
    rid = store.begin("crashed", cwd="/", mode="repl", model="m")
    store.finish(rid, decision="failed", outcome="model error", exit_code=5)
    assert sorted(r["text"] for r in store.search(failed=True)) == ["bad exit", "crashed"]


def test_unfinished_requests_are_listed_as_such(store):
    store.begin("still running", cwd="/", mode="pipe", model="m")
    [entry] = store.search()
    assert entry["decision"] == "unfinished" and entry["exit_code"] is None


def test_finish_rejects_unknown_decisions(store):
    rid = store.begin("x", cwd="/", mode="repl", model="m")
    with pytest.raises(ValueError, match="decision must be one of"):
        store.finish(rid, decision="maybe", outcome="", exit_code=0)


def test_locked_plan_replays_the_latest_successful_plan_in_the_same_context(store):
    record(store, "count lines in src", command="wc -l src/*.py", key="k1")
    record(store, "count lines in src", command="cloc src", key="k1")
    record(store, "count lines in src", command="broken", key="k1", code=1)  # failed: not a candidate
    record(store, "count lines in src", command="other", key="k2")
    assert store.locked_plan("count lines in src", "k1") == plan("cloc src")
    assert store.locked_plan("count lines in src", "k2") == plan("other")
    assert store.locked_plan("count lines in src", "k3") is None
    assert store.locked_plan("count lines in docs", "k1") is None


def test_edited_plans_are_replayed_but_refused_ones_are_not(store):
    record(store, "rotate logs", command="logrotate -f conf", decision="edited")
    record(store, "clean tmp", command="rm -rf /tmp/x", decision="refused", code=3)
    assert store.locked_plan("rotate logs", "ctx") == plan("logrotate -f conf")
    assert store.locked_plan("clean tmp", "ctx") is None


def test_a_plan_with_a_secret_cut_out_is_never_replayed(store):
    record(store, "log in to the db", command="mysql -u root -pS3cret app")
    assert store.locked_plan("log in to the db", "ctx") is None
    record(store, "connect with --password=S3cret", command="true")
    assert store.locked_plan("connect with --password=S3cret", "ctx") is None


def test_examples_are_similar_corrected_requests_once_each(store):
    record(store, "compress the nginx logs", command="gzip /var/log/nginx/*.log", decision="edited")
    record(store, "compress the nginx logs", command="gzip /var/log/nginx/*.log", decision="edited")
    record(store, "compress photos", command="zip -r photos.zip photos", decision="edited")
    record(store, "compress the apache logs", command="false", code=1, decision="edited")  # failed: not an example
    record(store, "compress the nginx logs quickly", command="gzip -1 x")  # ran uncorrected: not an example
    record(store, "show the weather", command="curl wttr.in")
    found = store.examples("please compress nginx logs from last week", limit=3)
    assert found[0] == ("compress the nginx logs", plan("gzip /var/log/nginx/*.log"))
    assert [text for text, _ in found] == ["compress the nginx logs", "compress photos"]
    assert len(store.examples("compress", limit=1)) == 1
    assert store.examples("the of a", limit=3) == []  # only stop words: nothing to match


def test_a_rare_word_finds_its_old_example_among_many_newer_common_ones(store):
    from nlsh.store.recall import EXAMPLES_PER_WORD

    now = datetime.now()
    store.add_many([
        {"started": (now - timedelta(days=300)).timestamp(), "text": "deploy the zanzibar site", "mode": "repl",
         "decision": "edited", "exit_code": 0, "plan_json": plan("make deploy-zanzibar")},
        *({"started": (now - timedelta(minutes=i)).timestamp(), "text": f"deploy site number {i}", "mode": "repl",
           "decision": "edited", "exit_code": 0, "plan_json": plan(f"make deploy-{i}")}
          for i in range(3 * EXAMPLES_PER_WORD)),
    ])
    found = store.examples("deploy zanzibar site again", limit=2)
    assert found[0] == ("deploy the zanzibar site", plan("make deploy-zanzibar"))
    assert found[1][0] == "deploy site number 0"  # then the newest of the equally good ones


def test_recent_texts_are_distinct_newest_first(store):
    for text in ["ls", "df -h", "ls", "uptime", "df -h"]:
        record(store, text)
    assert store.recent_texts() == ["df -h", "uptime", "ls"]
    assert store.recent_texts(limit=2) == ["df -h", "uptime"]


def test_secrets_never_reach_the_database_file(store, tmp_path):
    secret = "Zq8-very-secret-value"
    rid = store.begin(f"login with --password={secret}", cwd="/", mode="repl", model="m")
    store.set_plan(rid, plan(f"curl -H 'Authorization: Bearer {secret}' https://x"), "ctx")
    store.add_step(rid, index=0, tool="http", args={"url": "https://x", "token": secret},
                   command=f"curl -u bob:{secret} https://x", risk="network", exit_code=0, duration=0.1,
                   output=f"DB_PASSWORD={secret}\n", files=[])
    store.finish(rid, decision="ran", outcome=f"export API_TOKEN={secret}", exit_code=0)
    store.close()
    raw = b"".join(p.read_bytes() for p in (tmp_path / "data").glob("history.db*"))
    assert secret.encode() not in raw
    assert MARK.encode() in raw


def test_output_excerpts_are_capped(store):
    rid = store.begin("spam", cwd="/", mode="repl", model="m")
    store.add_step(rid, index=0, tool="shell", args={}, command="yes", risk="read", exit_code=0,
                   duration=1, output="y\n" * 100_000, files=[])
    assert len(store.get(rid)["steps"][0]["output"]) == 4000


def test_fts_index_stays_consistent_with_the_table(store, tmp_path):
    for i in range(20):
        record(store, f"request {i}", command=f"echo {i}")
    conn = sqlite3.connect(tmp_path / "data" / "history.db")
    conn.execute("INSERT INTO request_fts(request_fts, rank) VALUES ('integrity-check', 1)")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
