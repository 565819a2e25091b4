"""Up-arrow and Ctrl-R in a real prompt_toolkit session, fed through a pipe, with lines from the store."""

import pytest
from prompt_toolkit import PromptSession
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from nlsh.store.history import HistoryStore
from nlsh.store.prompt_history import StoreHistory

UP, CTRL_R, ENTER = "\x1b[A", "\x12", "\r"


@pytest.fixture
def store(tmp_path):
    s = HistoryStore.open(tmp_path / "history.db")
    for text in ["list big files", "show docker containers", "count lines in src"]:
        rid = s.begin(text, cwd="/", mode="repl", model="m")
        s.finish(rid, decision="ran", outcome="ok", exit_code=0)
    yield s
    s.close()


def ask(history: StoreHistory, keys: str) -> str:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        session = PromptSession(history=history, input=pipe, output=DummyOutput())
        return session.prompt("> ")


def test_lines_load_newest_first(store):
    assert list(StoreHistory(store).load_history_strings()) == [
        "count lines in src", "show docker containers", "list big files",
    ]


def test_up_arrow_recalls_the_last_request(store):
    assert ask(StoreHistory(store), UP + ENTER) == "count lines in src"
    assert ask(StoreHistory(store), UP + UP + UP + ENTER) == "list big files"


def test_ctrl_r_searches_the_store(store):
    assert ask(StoreHistory(store), CTRL_R + "docker" + ENTER + ENTER) == "show docker containers"


def test_new_lines_join_the_session_history_without_writing_twice(store):
    history = StoreHistory(store)
    assert ask(history, "uptime" + ENTER) == "uptime"
    assert ask(history, UP + ENTER) == "uptime"  # appended in memory for this session
    assert "uptime" not in store.recent_texts()  # the session records requests itself


def test_record_true_keeps_typed_lines_in_the_store(store):
    history = StoreHistory(store, record=True)
    ask(history, "df -h" + ENTER)
    assert store.recent_texts()[0] == "df -h"
    assert ask(StoreHistory(store), UP + ENTER) == "df -h"  # a new REPL sees it


def test_no_store_or_a_broken_one_gives_an_empty_history(store):
    assert list(StoreHistory(None).load_history_strings()) == []
    warnings = []
    store.close()  # reading a closed store fails like a vanished database would
    assert list(StoreHistory(store, warn=warnings.append).load_history_strings()) == []
    assert len(warnings) == 1
