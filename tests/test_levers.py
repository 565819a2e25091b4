"""The accuracy levers are settings: config key `levers`, NLSH_LEVERS, and --fast for none; each one
decides what the session adds around the model."""

from __future__ import annotations

import pytest

from nlsh.config import ConfigError, load_config
from nlsh.kernel.levers import DEFAULT, LEVERS, facts_for, parse, plan_check
from nlsh.paths import config_file
from sessionkit import harness, shell_plan


@pytest.fixture
def home(monkeypatch, tmp_path):
    monkeypatch.setenv("NLSH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_default_is_every_lever_the_numbers_kept(home):
    config = load_config(env={})
    assert config.levers == list(DEFAULT) and set(DEFAULT) <= set(LEVERS)
    assert config.sources["levers"] == "default"


def test_file_env_and_the_fast_flag_set_the_levers(home):
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text('levers = ["retrieval"]\n')
    assert load_config(env={}).levers == ["retrieval"]
    env = load_config(env={"NLSH_LEVERS": "verify, grounding"})
    assert env.levers == ["verify", "grounding"] and env.sources["levers"] == "env NLSH_LEVERS"
    assert load_config(env={"NLSH_LEVERS": "none"}).levers == []
    fast = load_config(env={"NLSH_LEVERS": "verify"}, overrides={"levers": []})
    assert fast.levers == [] and fast.sources["levers"] == "flag --levers"


def test_an_unknown_lever_is_a_clear_error(home):
    with pytest.raises(ConfigError, match="NLSH_LEVERS: unknown lever 'retreival'"):
        load_config(env={"NLSH_LEVERS": "retreival"})
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text('timeout = 5\nlevers = ["verify", 3]\n')
    with pytest.raises(ConfigError, match=r"config.toml:2: levers must be a list of lever names"):
        load_config(env={})
    assert parse("retrieval,retrieval") == ("retrieval",)


def test_no_lever_adds_nothing(tmp_path):
    assert facts_for("count lines in notes.txt", tmp_path, (), piped=False) == {}
    assert plan_check((), tmp_path, lambda step: None, piped=False) is None


def test_levers_off_the_model_sees_what_it_saw_before(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "notes.txt").write_text("x\n")
    plain = harness(tmp_path, shell_plan("true"), print_only=True)
    plain.run("count the lines of notes.txt")
    grounded = harness(tmp_path, shell_plan("true"), print_only=True, levers=("grounding",))
    grounded.run("count the lines of notes.txt")
    assert "sub/notes.txt" not in plain.model.prompts[0].messages[0]["content"]
    assert "notes.txt is sub/notes.txt" in grounded.model.prompts[0].messages[0]["content"]
    assert plain.model.prompts[0].system == grounded.model.prompts[0].system
