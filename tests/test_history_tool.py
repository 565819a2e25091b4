import json
import shlex
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from nlsh.history_cli import register
from nlsh.paths import history_db
from nlsh.safety.risk import Risk
from nlsh.store.history import HistoryStore
from nlsh.tools.context import ToolContext, ToolError
from nlsh.tools.history import TOOLS, search_history, show_history_entry


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("NLSH_HOME", str(tmp_path / "home"))
    now = datetime.now()
    yesterday_noon = (now - timedelta(days=1)).replace(hour=12, minute=0, second=0, microsecond=0)
    s = HistoryStore.open(history_db())
    s.add_many([
        {"started": (now - timedelta(days=20)).timestamp(), "text": "back up the database", "cwd": "/srv/db",
         "mode": "repl", "decision": "ran", "exit_code": 0,
         "steps": [{"tool": "shell", "command": "pg_dump app > /backup/app.sql", "files": ["/backup/app.sql"]}]},
        {"started": yesterday_noon.timestamp(), "text": "delete the old logs", "cwd": "/var/log",
         "mode": "repl", "decision": "ran", "exit_code": 0,
         "steps": [{"tool": "delete_files", "args": {"paths": ["a.log", "b.log"]}, "command": None,
                    "files": ["/var/log/a.log", "/var/log/b.log"]}]},
        {"started": (now - timedelta(minutes=3)).timestamp(), "text": "back up the photos", "cwd": "/home/ana",
         "mode": "repl", "decision": "ran", "exit_code": 1,
         "steps": [{"tool": "shell", "command": "rsync -a photos /mnt", "exit_code": 1}]},
    ])
    yield s
    s.close()


def ctx(store, cwd="/"):
    return ToolContext(cwd=Path(cwd), store=store)


def call(tool, store, **args):
    return tool.run(ctx(store), tool.validate(args))


def test_tools_are_read_only_and_listed():
    assert [t.name for t in TOOLS] == ["search_history", "show_history_entry"]
    assert all(t.risk == Risk.READ for t in TOOLS)
    params = search_history.spec().parameters["properties"]
    assert set(params) == {"query", "when", "cwd", "failed", "limit"}


def test_when_is_resolved_by_code(store):
    rows = call(search_history, store, when="yesterday").rows
    assert [r["request"] for r in rows] == ["delete the old logs"]
    assert rows[0]["files"] == ["/var/log/a.log", "/var/log/b.log"]
    assert rows[0]["commands"] == "delete_files"  # a typed step shows its tool


def test_query_failed_and_cwd(store):
    assert [r["request"] for r in call(search_history, store, query="back up").rows] == [
        "back up the photos", "back up the database",
    ]
    assert [r["request"] for r in call(search_history, store, failed=True).rows] == ["back up the photos"]
    rows = search_history.run(ctx(store, "/srv"), {"query": "", "when": "", "cwd": "db", "failed": False, "limit": 20}).rows
    assert [r["request"] for r in rows] == ["back up the database"]  # a relative cwd is the context's


def test_bad_when_and_no_store_are_tool_errors(store):
    with pytest.raises(ToolError, match="cannot read 'someday' as a time"):
        call(search_history, store, when="someday")
    with pytest.raises(ToolError, match="history is off"):
        call(search_history, None, query="x")


def test_show_entry(store):
    [row] = call(search_history, store, query="pg_dump").rows
    [entry] = call(show_history_entry, store, id=row["id"]).rows
    assert entry["steps"][0]["command"] == "pg_dump app > /backup/app.sql"
    assert entry["files"] == ["/backup/app.sql"]
    with pytest.raises(ToolError, match="no history entry 424242"):
        call(show_history_entry, store, id=424242)


@pytest.mark.parametrize(
    "args, expected",
    [
        ({"query": "back up", "when": "last week"}, "nlsh history --when 'last week' --limit 20 'back up'"),
        ({"query": "x'; rm -rf ~", "limit": 50}, "nlsh history 'x'\"'\"'; rm -rf ~'"),
        ({"query": "import", "failed": True, "limit": 50}, "nlsh history --failed -- import"),
        ({"query": "--json", "cwd": "/a b", "limit": 50}, "nlsh history --cwd '/a b' -- --json"),
    ],
)
def test_shell_rendering_quotes_everything(args, expected):
    full = {"query": "", "when": "", "cwd": "", "failed": False, "limit": 20, **args}
    assert search_history.as_shell(full) == expected


def test_rendered_command_lists_what_the_tool_found(store):
    """The shell equivalent is not decoration: run through the CLI it finds the same requests."""
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """test harness"""

    register(app)
    for args in ({"query": "back up", "when": "past week"}, {"when": "yesterday"}, {"failed": True},
                 {"query": "", "cwd": "/var"}):
        full = search_history.validate(args)
        found = [r["id"] for r in search_history.run(ctx(store), full).rows]
        argv = shlex.split(search_history.as_shell(full))[1:]  # drop "nlsh"
        result = CliRunner().invoke(app, [*argv, "--json"])
        assert result.exit_code == 0, result.output
        assert [e["id"] for e in json.loads(result.output)] == found
