import json
import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
import typer
from typer.testing import CliRunner

from nlsh.history_cli import register
from nlsh.paths import history_db
from nlsh.store.history import HistoryStore


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NLSH_HOME", str(tmp_path / "nlsh-home"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


@pytest.fixture
def app():
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """nlsh (test harness)"""

    register(app)
    return app


def run(app, *args: str):
    return CliRunner().invoke(app, ["history", *args])


def fill(entries):
    """entries: (text, age, exit code, cwd, command)."""
    now = datetime.now()
    with HistoryStore.open(history_db()) as store:
        store.add_many([
            {"started": (now - age).timestamp(), "text": text, "cwd": cwd, "mode": "repl", "decision": "ran",
             "exit_code": code, "outcome": "", "plan_json": "{}", "context_key": "",
             "steps": [{"tool": "shell", "command": command, "args": {"command": command}, "exit_code": code}]}
            for text, age, code, cwd, command in entries
        ])


@pytest.fixture
def filled(home):
    fill([
        ("back up the photos", timedelta(days=10), 0, "/home/ana/photos", "rsync -a photos/ /mnt/backup/"),
        ("show docker containers", timedelta(days=1, hours=2), 0, "/srv/app", "docker ps"),
        ("restart the web server", timedelta(hours=3), 1, "/srv/app/web", "systemctl restart nginx"),
        ("count lines of code", timedelta(minutes=5), 0, "/home/ana/code", "wc -l *.py"),
    ])


def texts(output: str) -> list[str]:
    return [line.split("\t")[5] for line in output.splitlines()]


def test_lists_newest_first_as_tsv_when_not_a_terminal(app, filled):
    result = run(app)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert texts(result.output) == [
        "count lines of code", "restart the web server", "show docker containers", "back up the photos",
    ]
    fields = lines[1].split("\t")
    assert fields[2:] == ["1", "ran", "/srv/app/web", "restart the web server", "systemctl restart nginx"]


def test_searches_words_in_requests_and_commands(app, filled):
    assert texts(run(app, "docker").output) == ["show docker containers"]
    assert texts(run(app, "nginx").output) == ["restart the web server"]
    assert texts(run(app, "back", "up").output) == ["back up the photos"]


def test_time_options_accept_english(app, filled):
    assert texts(run(app, "--since", "2 days ago").output) == [
        "count lines of code", "restart the web server", "show docker containers",
    ]
    assert texts(run(app, "--until", "2 days ago").output) == ["back up the photos"]
    assert texts(run(app, "--since", "2 days ago", "--until", "1 hour ago").output) == [
        "restart the web server", "show docker containers",
    ]
    assert texts(run(app, "--when", "past week").output)[-1] == "show docker containers"


def test_cwd_failed_and_limit(app, filled):
    assert texts(run(app, "--cwd", "/srv/app").output) == ["restart the web server", "show docker containers"]
    assert texts(run(app, "--failed").output) == ["restart the web server"]
    assert texts(run(app, "--limit", "1").output) == ["count lines of code"]


def test_json_has_every_field(app, filled):
    result = run(app, "--json", "docker")
    [entry] = json.loads(result.output)
    assert entry["text"] == "show docker containers"
    assert entry["commands"] == ["docker ps"] and entry["cwd"] == "/srv/app" and entry["exit_code"] == 0
    assert {"id", "time", "host", "mode", "model", "decision", "outcome", "files", "duration"} <= set(entry)


def test_unreadable_time_is_a_usage_error(app, filled):
    result = run(app, "--since", "the other day")
    assert result.exit_code == 2
    assert "cannot read 'the other day' as a time" in result.output


def test_show_one_request(app, filled):
    [entry] = json.loads(run(app, "--json", "nginx").output)
    result = run(app, "show", str(entry["id"]), "--json")
    [shown] = json.loads(result.output)
    assert shown["steps"][0]["command"] == "systemctl restart nginx"
    assert run(app, "show", "999999").exit_code == 2


def test_import_then_search(app, home):
    path = home / "fish_history"
    path.write_text("- cmd: git push origin main\n  when: 1700000000\n- cmd: ls\n  when: 1700000001\n")
    result = run(app, "import", str(path))
    assert result.exit_code == 0, result.output
    assert "imported 2 fish commands" in result.output
    assert texts(run(app, "git").output) == ["git push origin main"]
    assert "imported 0 fish commands" in run(app, "import", "--from", "fish", str(path)).output


def test_import_defaults_to_the_shells_usual_file(app, home, monkeypatch):
    monkeypatch.setenv("SHELL", "/bin/bash")
    (home / "home").mkdir()
    (home / "home" / ".bash_history").write_text("make release\n")
    assert run(app, "import").exit_code == 0
    assert texts(run(app, "release").output) == ["make release"]


def test_import_errors(app, home):
    assert run(app, "import", "--from", "csh", "x").exit_code == 2
    result = run(app, "import", str(home / "missing"))
    assert result.exit_code == 2 and "no bash history file" in result.output


def test_a_query_named_like_a_subcommand_goes_after_double_dash(app, home):
    fill([("import the csv files", timedelta(minutes=1), 0, "/", "csvkit")])
    assert texts(run(app, "--", "import").output) == ["import the csv files"]
    assert texts(run(app, "list", "import").output) == ["import the csv files"]


def test_wired_into_the_nlsh_command(filled):
    result = subprocess.run([sys.executable, "-m", "nlsh", "history", "--json", "docker"],
                            capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert result.returncode == 0, result.stderr
    assert [e["text"] for e in json.loads(result.stdout)] == ["show docker containers"]
