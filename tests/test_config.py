"""Settings in layers (default < file < env < flag), where each value came from, and config files
that are wrong (the error names file and line)."""

from __future__ import annotations

import pytest

from nlsh.config import Config, ConfigError, load_config
from nlsh.paths import config_file

GOOD = '''
model = "openai/gpt-4o-mini"
api_base = "http://gpu-box:8000/v1"
timeout = 30
history = false
sandbox = true
allow = ["tool:list_directory", "command:git status", "class:read"]

[models."openai/gpt-4o-mini"]
temperature = 0.2
function_calling = true
'''


@pytest.fixture
def home(monkeypatch, tmp_path):
    monkeypatch.setenv("NLSH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def write_config(text: str):
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_defaults_from_default(home):
    config = load_config(env={})
    assert config.to_dict() == Config().to_dict()
    assert config.timeout == 60 and config.history is True and config.sandbox is False
    assert set(config.sources.values()) == {"default"}
    assert set(config.sources) == set(config.to_dict())


def test_file_values_and_their_source(home):
    path = write_config(GOOD)
    config = load_config(env={})
    assert config.model == "openai/gpt-4o-mini"
    assert config.api_base == "http://gpu-box:8000/v1"
    assert config.timeout == 30.0 and isinstance(config.timeout, float)
    assert config.history is False and config.sandbox is True
    assert config.allow == ["tool:list_directory", "command:git status", "class:read"]
    assert config.model_options() == {"temperature": 0.2, "function_calling": True}
    assert config.model_options("ollama/other") == {}
    assert config.sources["model"] == f"file {path}"
    assert config.sources["models"] == f"file {path}"


def test_env_overrides_file_and_flags_override_env(home):
    path = write_config(GOOD)
    env = {"NLSH_MODEL": "anthropic/claude-x", "NLSH_API_BASE": "http://env:1/v1"}
    config = load_config(env=env)
    assert (config.model, config.sources["model"]) == ("anthropic/claude-x", "env NLSH_MODEL")
    assert (config.api_base, config.sources["api_base"]) == ("http://env:1/v1", "env NLSH_API_BASE")
    assert config.sources["timeout"] == f"file {path}"

    config = load_config(env=env, overrides={"model": "openai/flag", "timeout": 5, "api_base": None})
    assert (config.model, config.sources["model"]) == ("openai/flag", "flag --model")
    assert (config.timeout, config.sources["timeout"]) == (5.0, "flag --timeout")
    assert config.sources["api_base"] == "env NLSH_API_BASE"  # a flag left out (None) does not count


def test_empty_env_variable_counts_as_unset(home):
    write_config('model = "from-file"\n')
    assert load_config(env={"NLSH_MODEL": "  "}).model == "from-file"


def test_env_alone_without_file(home):
    config = load_config(env={"NLSH_MODEL": "ollama/qwen2.5-coder"})
    assert config.model == "ollama/qwen2.5-coder"
    assert config.sources["model"] == "env NLSH_MODEL"
    assert config.sources["api_base"] == "default"


def test_invalid_toml_names_file_and_line(home):
    path = write_config('model = "a"\ntimeout = 30\nallow = ["tool:x",\nhistory = \n')
    with pytest.raises(ConfigError) as caught:
        load_config(env={})
    message = str(caught.value)
    assert message.startswith(f"{path}:4: "), message
    assert "TOML" in message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('model = "m"\n\ntimeout = "soon"\n', 3, "timeout"),
        ('timeout = 0\n', 1, "greater than 0"),
        ('model = "m"\nhistory = "yes"\n', 2, "true or false"),
        ('# comment\nmodle = "m"\n', 2, "unknown setting 'modle'"),
        ('allow = ["list_directory"]\n', 1, "KIND:VALUE"),
        ('allow = ["class:dangerous"]\n', 1, "unknown risk class"),
        ('model = "m"\n[models]\ngpt = 3\n', 2, "one table of options per model"),
        ('timeout = true\n', 1, "timeout"),
    ],
)
def test_wrong_values_name_file_line_and_what_is_wrong(home, text, line, words):
    path = write_config(text)
    with pytest.raises(ConfigError) as caught:
        load_config(env={})
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert words in str(caught.value)


def test_bad_flag_value_is_a_config_error_naming_the_flag(home):
    with pytest.raises(ConfigError, match="--timeout"):
        load_config(env={}, overrides={"timeout": -1})


def test_unreadable_config_is_a_config_error(home):
    path = config_file()
    path.mkdir(parents=True)  # a directory where the file should be
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(env={})


def test_file_that_is_not_utf8_is_a_config_error(home):
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b'model = "\xff\xfe"\n')
    with pytest.raises(ConfigError, match=str(path)):
        load_config(env={})
