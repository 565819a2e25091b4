"""`nlsh config` shows each effective setting and its source; `nlsh config path` the file's place."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from nlsh.config_cli import register
from nlsh.paths import config_file


def make_app(overrides: dict | None = None) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context) -> None:
        # What the real CLI's callback does with its global flags.
        ctx.obj = {"config_overrides": overrides}

    register(app)
    return app


@pytest.fixture
def home(monkeypatch, tmp_path):
    monkeypatch.setenv("NLSH_HOME", str(tmp_path / "home"))
    for name in ("NLSH_MODEL", "NLSH_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "home"


def run(app: typer.Typer, *args: str):
    return CliRunner().invoke(app, list(args))


def test_config_path_prints_the_file_under_nlsh_home(home):
    result = run(make_app(), "config", "path")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(home / "config" / "config.toml")


def test_config_shows_defaults_when_there_is_no_file(home):
    result = run(make_app(), "config")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"config file: {config_file()} (not created yet)"
    model_line = next(line for line in lines if line.startswith("model "))
    assert "(not set)" in model_line and model_line.endswith("default")
    assert any(line.startswith("timeout ") and "60.0" in line for line in lines)


def test_config_json_reports_value_and_source_of_file_env_and_flag(home, monkeypatch):
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text('model = "from-file"\napi_base = "http://file:1/v1"\ntimeout = 12\n')
    monkeypatch.setenv("NLSH_API_BASE", "http://env:2/v1")
    result = run(make_app({"timeout": 3.5}), "config", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["config_file"] == str(path) and data["exists"] is True
    settings = data["settings"]
    assert settings["model"] == {"value": "from-file", "source": f"file {path}"}
    assert settings["api_base"] == {"value": "http://env:2/v1", "source": "env NLSH_API_BASE"}
    assert settings["timeout"] == {"value": 3.5, "source": "flag --timeout"}
    assert settings["history"] == {"value": True, "source": "default"}


def test_malformed_config_exits_2_with_file_and_line_on_stderr(home):
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text('model = "m"\ntimeout = = 3\n')
    result = run(make_app(), "config")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{path}:2:" in result.stderr


def test_the_real_nlsh_command_reports_the_env_source(home, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NLSH_")}
    env.update(PYTHONPATH=str(root), NLSH_HOME=str(home), NLSH_MODEL="ollama/qwen2.5-coder")
    result = subprocess.run([sys.executable, "-m", "nlsh", "config", "--json"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)["settings"]
    assert settings["model"] == {"value": "ollama/qwen2.5-coder", "source": "env NLSH_MODEL"}
    assert settings["api_base"]["source"] == "default"
