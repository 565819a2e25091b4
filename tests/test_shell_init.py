"""`nlsh init bash|zsh|fish` in the real shells under tmux: the key turns English on the command line
into the planned command and runs nothing; a command line and a failed plan leave the line as it was;
the nlsh function carries a request's cd and export into the shell and its commands into history."""

import subprocess

import pytest

from nlsh.line_command import already_a_command
from nlsh.shell_init import key_codes, snippet
from nlsh.shell_state import env_changes, script
from shellkit import ShellPane, missing

SHELLS = ["bash", "zsh", "fish"]


@pytest.fixture(params=SHELLS)
def shell(request):
    why = missing(request.param)
    if why:
        pytest.skip(why)
    return request.param


@pytest.fixture
def pane_for(tmp_path, script, nlsh_home):
    panes = []

    def start(shell, *replies):
        work = tmp_path / "work"
        work.mkdir(exist_ok=True)
        pane = ShellPane(shell, tmp_path / "home", work, script(*replies), nlsh_home)
        panes.append(pane)
        return pane, work

    yield start
    for pane in panes:
        pane.close()


def plan(command):
    return {"steps": [{"tool": "shell", "args": {"command": command}}]}


def press_key_after(pane, text):
    pane.type(text)
    pane.keys("M-e")


def test_the_key_puts_the_planned_command_on_the_line_and_nothing_runs(shell, pane_for):
    pane, work = pane_for(shell, plan("touch made-by-nlsh"))
    press_key_after(pane, "make an empty file called made-by-nlsh")
    pane.wait_for("$ touch made-by-nlsh")
    assert pane.prompt_line() == "$ touch made-by-nlsh"
    assert not (work / "made-by-nlsh").exists()
    pane.keys("Enter")  # now it is the person's own command line, run by their shell
    pane.wait_for("$ touch made-by-nlsh\n$")
    assert (work / "made-by-nlsh").exists()


def test_a_plan_of_several_steps_becomes_one_line_joined_by_and(shell, pane_for):
    pane, work = pane_for(shell, {"steps": [{"tool": "shell", "args": {"command": "mkdir out"}},
                                            {"tool": "shell", "args": {"command": "touch out/x"}}]})
    press_key_after(pane, "make out with x in it")
    pane.wait_for("$ mkdir out && touch out/x")
    assert not (work / "out").exists()


def test_a_command_line_is_left_alone(shell, pane_for):
    pane, work = pane_for(shell, plan("echo the model was asked"))
    press_key_after(pane, "ls -la")
    pane.wait_for("already a command")
    assert pane.prompt_line() == "$ ls -la"


def test_a_failed_plan_leaves_the_line_and_says_why(shell, pane_for):
    pane, work = pane_for(shell, "{broken", "{broken")
    press_key_after(pane, "do something odd")
    pane.wait_for("did not give a usable plan")
    assert pane.prompt_line() == "$ do something odd"


def test_the_nlsh_function_changes_the_shells_directory_environment_and_history(shell, pane_for):
    pane, work = pane_for(shell, plan("cd inner && export GREETING='hi there'"))
    (work / "inner").mkdir()
    pane.type("nlsh go into inner and greet")
    pane.keys("Enter")
    pane.wait_for("[read]")
    pane.type('echo "at:$PWD:$GREETING"')
    pane.keys("Enter")
    pane.wait_for(f"at:{work / 'inner'}:hi there")
    pane.type("history | tail -n 5" if shell != "fish" else "history | head -n 5")
    pane.keys("Enter")
    pane.wait_for("cd inner && export GREETING='hi there'")


def test_tab_completes_subcommands_and_their_options(shell, pane_for):
    pane, work = pane_for(shell)
    pane.type("nlsh hist")
    pane.keys("Tab")
    pane.wait_for("$ nlsh history")
    pane.type(" --fai")
    pane.keys("Tab")
    pane.wait_for(r"\$ nlsh history +--failed", pattern=True)  # shells differ in the space a completion adds


def test_snippets_parse_in_their_shells(shell):
    result = subprocess.run([shell, "-n"], input=snippet(shell), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_keys_in_each_shells_notation():
    assert key_codes("alt-e") == {"bash": "\\ee", "zsh": "^[e", "fish": "\\ee"}
    assert key_codes("ctrl-g") == {"bash": "\\C-g", "zsh": "^G", "fish": "\\cg"}
    with pytest.raises(ValueError):
        key_codes("f5")


def test_init_rejects_an_unknown_shell_and_key(nlsh):
    assert nlsh("init", "tcsh").returncode == 2
    bad_key = nlsh("init", "bash", "--key", "hyper-x")
    assert bad_key.returncode == 2 and "alt-LETTER" in bad_key.stderr.decode()
    assert "\\C-g" in nlsh("init", "bash", "--key", "ctrl-g").stdout.decode()


@pytest.mark.parametrize("line", ["ls -la", "git status", "grep -rn the notes.txt | wc -l", "cat notes.txt", "pwd",
                                  "echo hello world", "cd ..", "du -sh * > sizes"])
def test_command_lines(line):
    assert already_a_command(line)


@pytest.mark.parametrize("line", ["find the biggest files", "sort lines by length", "show disk usage",
                                  "make a folder called x", "list python files changed today", ""])
def test_english(line):
    assert not already_a_command(line)


def test_an_alias_the_shell_knows_is_a_command(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # no startup files that could define ll
    assert not already_a_command("ll")
    assert already_a_command("ll", first_word_known=True)


@pytest.mark.parametrize("shell_name", ["bash", "zsh"])
def test_the_state_script_quotes_every_value(shell_name, tmp_path):
    if missing(shell_name):
        pytest.skip(missing(shell_name))
    tricky = "it's $(touch pwned) `x` \\ \"q\"\nline"
    (tmp_path / "a dir").mkdir()
    text = script(shell_name, cwd=str(tmp_path / "a dir"), changed={"TRICKY": tricky}, removed=["GONE"], commands=[])
    check = subprocess.run([shell_name, "-c", text + 'printf "%s|%s|%s" "$PWD" "$TRICKY" "${GONE-unset}"'],
                           cwd=tmp_path, env={"GONE": "x", "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert check.stdout == f"{tmp_path / 'a dir'}|{tricky}|unset"
    assert not (tmp_path / "pwned").exists()


def test_the_fish_state_script_quotes_every_value(tmp_path):
    if missing("fish"):
        pytest.skip(missing("fish"))
    tricky = "it's $(touch pwned) (touch pwned2) \\ \"q\"\nline"
    text = script("fish", cwd=str(tmp_path), changed={"TRICKY": tricky}, removed=[], commands=[])
    check = subprocess.run(["fish", "--no-config", "-c", text + 'printf "%s|%s" "$PWD" "$TRICKY"'],
                           capture_output=True, text=True)
    assert check.stdout == f"{tmp_path}|{tricky}"
    assert not list(tmp_path.glob("pwned*"))


def test_only_what_the_request_changed_is_exported():
    from nlsh.tools.shell import clean_env

    before = {"HOME": "/h", "PATH": "/usr/bin", "PROMPT_COMMAND": "history -a", "KEEP": "1", "DROP": "2"}
    # what the shell tool reports after the request: cleaned the same way, plus bash's own noise
    after = clean_env({"HOME": "/h", "PATH": "/usr/bin", "KEEP": "1", "NEW": "3", "PWD": "/x", "bad name": "4"})
    changed, removed = env_changes(before, after)
    assert changed == {"NEW": "3"}
    assert removed == ["DROP"]  # PROMPT_COMMAND is never passed to commands, so its absence is no change


def test_without_the_shell_function_a_directory_change_says_where_the_shell_stays(nlsh, script, tmp_path):
    (tmp_path / "src").mkdir()
    result = nlsh("--model", script({"steps": [{"tool": "shell", "args": {"command": "cd src"}}]}),
                  "go to the src folder", cwd=tmp_path, env={"NLSH_SHELL_STATE": ""})
    assert result.returncode == 0, result.stderr
    assert f"your shell stays in {tmp_path}".encode() in result.stderr
    assert b"nlsh init" in result.stderr
    unchanged = nlsh("--model", script({"steps": [{"tool": "shell", "args": {"command": "true"}}]}),
                     "do nothing much", cwd=tmp_path, env={"NLSH_SHELL_STATE": ""})
    assert b"your shell stays" not in unchanged.stderr
