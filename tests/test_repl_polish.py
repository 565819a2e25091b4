"""The REPL's comforts: completion, the toolbar, vi keys, colours only where wanted, the spinner's
model stand-in, paging of long text."""

import fcntl
import io
import os
import pty
import struct
import termios
import threading
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.defaults import create_output
from rich.console import Console

from nlsh.models.scripted import ScriptedModel
from nlsh.ui.completion import ReplCompleter
from nlsh.ui.editing import editing_mode
from nlsh.ui.model_status import WatchedModel
from nlsh.ui.pager import show_long
from nlsh.ui.repl import Repl
from nlsh.ui.toolbar import toolbar_line
from sessionkit import harness, shell_plan


@pytest.fixture
def pipe():
    with create_pipe_input() as inp:
        yield inp


def completions(completer, text):
    return [c.text for c in completer.get_completions(Document(text), CompleteEvent(completion_requested=True))]


def test_english_completes_to_past_requests(tmp_path):
    completer = ReplCompleter(lambda: tmp_path, lambda: ["show the biggest files", "show disk usage", "list tags"])
    assert completions(completer, "show") == ["show the biggest files", "show disk usage"]
    assert completions(completer, "nothing like it") == []


def test_paths_complete_in_the_sessions_directory(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    completer = ReplCompleter(lambda: tmp_path, lambda: [])
    assert completions(completer, "!cat no") == ["tes.txt"]
    assert completions(completer, "summarise ./no") == ["tes.txt"]


def test_the_first_word_of_a_command_line_completes_to_commands(tmp_path):
    completer = ReplCompleter(lambda: tmp_path, lambda: [])
    assert "grep" in completions(completer, "!gre")
    assert all(name.startswith("gre") for name in completions(completer, "!gre"))


def test_tab_completes_a_path_at_the_prompt(tmp_path, pipe):
    (tmp_path / "notes.txt").write_text("from the file\n")
    h = harness(tmp_path)
    pipe.send_text("!cat no\t")
    later = threading.Timer(1.0, pipe.send_text, ("\r\x04",))  # after the completion has been inserted
    later.start()
    Repl(h.session, Console(file=io.StringIO()), input=pipe, output=DummyOutput()).loop()
    assert h.out.getvalue() == "from the file\n"


def test_the_toolbar_names_model_state_place_and_last_status(tmp_path):
    line = toolbar_line("qwen2.5-coder-1.5b", False, tmp_path, 1, 200)
    assert "qwen2.5-coder-1.5b (not loaded)" in line and str(tmp_path) in line and "exit 1" in line
    assert "(ready)" in toolbar_line("qwen2.5-coder-1.5b", True, tmp_path, 0, 200)


@pytest.mark.parametrize("width", [30, 45, 60])
def test_the_toolbar_fits_a_narrow_terminal(width):
    line = toolbar_line("a-model-with-a-rather-long-name", True, Path("/very/deep/directory/tree/here"), 130, width)
    assert len(line) <= width
    assert "exit 130" in line


def test_vi_keys_when_chosen(tmp_path, pipe, monkeypatch):
    monkeypatch.setenv("NLSH_EDITING_MODE", "vi")
    h = harness(tmp_path)
    pipe.send_text("!echo ab\x1bx\r\x04")  # Escape: normal mode; x deletes the b under the cursor
    Repl(h.session, Console(file=io.StringIO()), input=pipe, output=DummyOutput()).loop()
    assert h.out.getvalue() == "a\n"


def test_the_editing_mode_follows_inputrc(tmp_path, monkeypatch):
    monkeypatch.delenv("NLSH_EDITING_MODE", raising=False)
    inputrc = tmp_path / "inputrc"
    monkeypatch.setenv("INPUTRC", str(inputrc))
    inputrc.write_text("set bell-style none\nset editing-mode vi\n")
    assert editing_mode() == "vi"
    inputrc.write_text("set editing-mode emacs\n")
    assert editing_mode() == "emacs"


def screen_bytes(tmp_path, pipe, line):
    """What the prompt drew on a real terminal (a pty) for `line`, given time to draw it before Enter.
    The output is made the way prompt-toolkit makes it for a terminal, so NO_COLOR is read as in use."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 250, 0, 0))
    drawn = bytearray()
    reader = threading.Thread(target=_drain, args=(master, drawn))
    reader.start()
    with os.fdopen(slave, "w") as terminal:
        h = harness(tmp_path)
        pipe.send_text(line)
        threading.Timer(1.0, pipe.send_text, ("\r\x04",)).start()
        Repl(h.session, Console(file=io.StringIO()), input=pipe, output=create_output(terminal)).loop()
    reader.join(timeout=10)
    os.close(master)
    assert h.out.getvalue() == "Hi\n"
    return drawn.decode(errors="replace")


def _drain(fd, into):
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the terminal side closed
            return
        if not chunk:
            return
        into += chunk


def test_command_lines_are_coloured(tmp_path, pipe, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert ";38;5;" in screen_bytes(tmp_path, pipe, "!echo 'hi' | tr h H")  # 256-colour foreground


def test_no_color_means_no_colour(tmp_path, pipe, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert ";38;5;" not in screen_bytes(tmp_path, pipe, "!echo 'hi' | tr h H")


def test_the_model_loads_on_first_need_and_is_ready_after_a_call(tmp_path):
    loads = []

    def load():
        loads.append(1)
        return ScriptedModel([shell_plan("echo hi")], name="scripted-test")

    watched = WatchedModel(load, "configured-name", Console(file=io.StringIO()))
    h = harness(tmp_path)
    h.session._model = watched
    assert watched.name == "configured-name" and loads == [] and not watched.ready
    h.session.run("say hi")
    assert loads == [1] and watched.ready and watched.name == "scripted-test"
    assert h.out.getvalue() == "hi\n"


def test_long_text_goes_through_the_pager_on_a_terminal(capsys):
    console = Console(file=io.StringIO(), force_terminal=True, height=10, width=80)
    long_text = "\n".join(f"line {i}" for i in range(50))
    show_long(long_text, console)
    assert "line 49" not in console.file.getvalue()  # not dumped on the screen ...
    assert "line 49" in capsys.readouterr().out  # ... but handed to the pager (plain here: no tty)
    show_long("short", console)
    assert "short" in console.file.getvalue()


def test_only_command_lines_are_lexed_as_shell():
    from nlsh.ui.editing import repl_lexer

    lexer = repl_lexer()
    english = lexer.lex_document(Document("what's in 'here' | now"))(0)
    assert english == [("", "what's in 'here' | now")]
    command = lexer.lex_document(Document("!echo 'here' | wc"))(0)
    assert len({style for style, _ in command}) > 1
