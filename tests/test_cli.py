"""The real nlsh command in a subprocess: no terminal, stdin /dev/null unless data is piped."""

import json

import pytest


def test_one_shot_runs_a_read_only_plan(nlsh, script, tmp_path):
    (tmp_path / "alpha.txt").write_text("a")
    model = script({"steps": [{"tool": "shell", "args": {"command": "ls"}}]})
    result = nlsh("--model", model, "list", "the", "files", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "alpha.txt\n"
    assert b"1. ls" in result.stderr  # the plan goes to stderr


def test_without_a_terminal_a_risky_step_is_refused_even_if_stdin_says_yes(nlsh, script, tmp_path):
    (tmp_path / "build").mkdir()
    model = script({"steps": [{"tool": "shell", "args": {"command": "rm -r build"}}]})
    result = nlsh("--model", model, "delete build", cwd=tmp_path, input=b"y\ny\n")
    assert result.returncode == 3
    assert (tmp_path / "build").is_dir()


def test_pipe_stage_data_in_results_out(nlsh, script, tmp_path):
    model = script({"steps": [{"tool": "shell", "args": {"command": "sort -r"}}]})
    result = nlsh("--model", model, "sort backwards", cwd=tmp_path, input=b"a\nc\nb\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"c\nb\na\n"


def test_binary_stdin_is_not_shown_to_the_model_but_reaches_the_command(nlsh, script, tmp_path):
    model = script({"steps": [{"tool": "shell", "args": {"command": "wc -c"}}]})
    data = bytes(range(256)) * 100
    result = nlsh("--model", model, "--dry-run", "--json", "how big", cwd=tmp_path, input=data)
    assert result.returncode == 0
    result = nlsh("--model", model, "how big", cwd=tmp_path, input=data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().strip() == "25600"


def test_dry_run_json_prints_the_public_plan_format(nlsh, script, tmp_path):
    plan = {"steps": [{"tool": "shell", "args": {"command": "rm -rf /tmp/nothing-here"}}]}
    result = nlsh("--model", script(plan), "--dry-run", "--json", "clean up", cwd=tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout) == plan


def test_print_mode_prints_only_shell_lines(nlsh, script, tmp_path):
    plan = {"steps": [{"tool": "shell", "args": {"command": "du -sh ."}}, {"tool": "shell", "args": {"command": "ls"}}]}
    result = nlsh("--model", script(plan), "--print", "sizes", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == b"du -sh .\nls\n"


def test_a_request_that_starts_with_a_subcommand_word_after_double_dash(nlsh, script, tmp_path):
    model = script({"steps": [], "answer": "heard you"})
    result = nlsh("--model", model, "--", "tools", "I", "have", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"heard you\n"


@pytest.mark.parametrize("reply, code", [("{broken", 5), ('{"steps": [{"tool": "nope"}]}', 5)])
def test_malformed_model_output_is_exit_5(nlsh, script, tmp_path, reply, code):
    result = nlsh("--model", script(reply, reply), "do", cwd=tmp_path)
    assert result.returncode == code
    assert b"Traceback" not in result.stderr


def test_missing_script_is_no_model(nlsh, tmp_path):
    result = nlsh("--model", f"scripted:{tmp_path}/missing.json", "do", cwd=tmp_path)
    assert result.returncode == 4
    assert b"cannot read the script" in result.stderr


def test_usage_errors_are_exit_2(nlsh, tmp_path):
    assert nlsh(cwd=tmp_path).returncode == 2  # no request, no terminal
    assert nlsh("--allow", "system", "x", cwd=tmp_path).returncode == 2
    assert nlsh("--no-such-flag", "x", cwd=tmp_path).returncode == 2


def test_version_and_tools(nlsh, tmp_path):
    assert nlsh("version").stdout.startswith(b"nlsh ")
    tools = json.loads(nlsh("tools", "--json").stdout)
    names = {t["name"] for t in tools}
    assert {"shell", "list_directory", "list_processes", "http_request", "search_history"} <= names
    for t in tools:
        assert t["risk"] in {"read", "write", "network", "destructive", "system", "unknown"}
        assert t["parameters"]["type"] == "object" and t["description"]


def test_a_reader_that_stops_early_is_not_an_error(nlsh_home, script, tmp_path):
    import os
    import subprocess
    import sys

    from conftest import REPO

    model = script({"steps": [{"tool": "shell", "args": {"command": "seq 1 1000000"}}]})
    env = {**os.environ, "NLSH_HOME": str(nlsh_home), "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "nlsh", "--model", model, "count up"], cwd=tmp_path, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    assert proc.stdout.readline() == b"1\n"
    proc.stdout.close()  # like `| head -n 1`
    assert proc.wait(timeout=60) == 0
    assert b"Traceback" not in proc.stderr.read()


def test_options_after_the_first_word_belong_to_the_command_line(nlsh, script, tmp_path):
    (tmp_path / "notes.txt").write_text("one\ntwo\nthree\n")
    result = nlsh("--model", script(), "head", "-n", "1", "notes.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"one\n"  # -n is head's, not nlsh's --dry-run


def test_quoting_the_shell_removed_is_kept(nlsh, script, tmp_path):
    for name in ("my file.txt", "my", "file.txt"):
        (tmp_path / name).write_text(name)
    result = nlsh("--model", script(), "--dry-run", "rm", "my file.txt", cwd=tmp_path)
    assert b"rm 'my file.txt'" in result.stdout
    result = nlsh("--model", script(), "--yes", "rm", "my file.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "my"]


@pytest.mark.parametrize("words, text", [
    (["show the five biggest files"], "show the five biggest files"),
    (["count", "lines", "in", "notes.txt"], "count lines in notes.txt"),
    (["find", ".", "-name", "*.py"], "find . -name '*.py'"),
    (["grep", "-rn", "TODO: handle", "src"], "grep -rn 'TODO: handle' src"),
    (["echo", ""], "echo ''"),
])
def test_the_request_is_rejoined_with_its_quoting(words, text):
    from nlsh.modes import request_text

    assert request_text(words) == text
