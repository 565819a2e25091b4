import os
from datetime import datetime

import pytest

from nlsh.store.history import HistoryStore
from nlsh.store.importers import (
    default_file,
    guess_shell,
    import_file,
    parse_bash,
    parse_fish,
    parse_zsh,
    read_entries,
)
from nlsh.store.redact import MARK


@pytest.fixture
def store(tmp_path):
    s = HistoryStore.open(tmp_path / "history.db")
    yield s
    s.close()


def test_bash_plain_and_with_timestamps():
    entries = parse_bash("ls -la\n#1700000000\ngit status\n\n#1700000100\nmake test\necho done\n")
    assert [(e.text, e.when) for e in entries] == [
        ("ls -la", None), ("git status", 1700000000.0), ("make test", 1700000100.0), ("echo done", None),
    ]


def test_a_bash_comment_line_that_is_not_a_timestamp_is_a_command():
    assert [e.text for e in parse_bash("#todo fix this\nls\n")] == ["#todo fix this", "ls"]


def test_zsh_extended_format_with_multiline_commands():
    content = (
        ": 1700000000:0;ls -la\n"
        ": 1700000005:3;for f in *.txt; do\\\n  wc -l $f\\\ndone\n"
        ": 1700000010:0;echo 'a;b'\n"
        "plain line\n"
    )
    entries = parse_zsh(content)
    assert [(e.text, e.when) for e in entries] == [
        ("ls -la", 1700000000.0),
        ("for f in *.txt; do\n  wc -l $f\ndone", 1700000005.0),
        ("echo 'a;b'", 1700000010.0),
        ("plain line", None),
    ]


def test_zsh_metafied_bytes_are_restored(tmp_path):
    # zsh writes byte 0x91 of "ő" (UTF-8 c5 91), one of its token bytes, as 0x83 0xb1 (0x91 xor 32)
    path = tmp_path / ".zsh_history"
    path.write_bytes(b": 1700000000:0;echo \xc5\x83\xb1\n")
    assert [e.text for e in read_entries(path, "zsh")] == ["echo \u0151"]


def test_fish_history_with_escapes_and_paths():
    content = (
        "- cmd: ls -la\n  when: 1700000000\n"
        "- cmd: echo first\\nsecond\n  when: 1700000050\n  paths:\n    - first\n"
        "- cmd: printf 'a\\\\b'\n  when: 1700000060\n"
    )
    entries = parse_fish(content)
    assert [(e.text, e.when) for e in entries] == [
        ("ls -la", 1700000000.0), ("echo first\nsecond", 1700000050.0), ("printf 'a\\b'", 1700000060.0),
    ]


def test_entries_without_a_time_get_the_file_time_in_order(tmp_path):
    path = tmp_path / ".bash_history"
    path.write_text("one\ntwo\nthree\n")
    os.utime(path, (1700000000, 1700000000))
    entries = read_entries(path, "bash")
    assert [e.text for e in entries] == ["one", "two", "three"]
    assert [e.when for e in entries] == sorted(e.when for e in entries)
    assert all(1699999999 < e.when < 1700000000 for e in entries) and not any(e.timed for e in entries)


def test_import_adds_searchable_redacted_entries_once(store, tmp_path):
    path = tmp_path / ".zsh_history"
    path.write_text(
        ": 1700000000:0;docker compose up -d\n"
        ": 1700000000:0;docker ps\n"  # same second as the one before
        ": 1700000100:0;mysql -u root -pS3cret app\n"
    )
    assert import_file(store, path, "zsh") == (3, 0)
    hits = store.search("docker")
    assert [h["text"] for h in hits] == ["docker ps", "docker compose up -d"]
    assert hits[0]["time"] == datetime.fromtimestamp(1700000000).isoformat(sep=" ")
    assert hits[0]["mode"] == "import" and hits[0]["outcome"] == "imported from zsh"
    assert store.search("mysql")[0]["text"] == f"mysql -u root -p{MARK} app"
    assert import_file(store, path, "zsh") == (0, 3)  # the second import adds nothing
    assert len(store.search()) == 3


def test_reimporting_a_grown_plain_bash_history_adds_only_new_commands(store, tmp_path):
    path = tmp_path / ".bash_history"
    path.write_text("ls\nmake\nls\n")
    assert import_file(store, path, "bash") == (2, 1)  # the repeated `ls` is kept once
    path.write_text("ls\nmake\nls\ncargo build\n")
    assert import_file(store, path, "bash") == (1, 3)
    assert sorted(store.recent_texts()) == ["cargo build", "ls", "make"]


def test_imported_entries_are_never_examples_or_locked_plans(store, tmp_path):
    path = tmp_path / "fish_history"
    path.write_text("- cmd: tar czf backup.tgz src\n  when: 1700000000\n")
    import_file(store, path, "fish")
    assert store.examples("make a backup tgz of src") == []
    assert store.locked_plan("tar czf backup.tgz src", "") is None


def test_default_files_and_shell_guess(tmp_path):
    env = {"HOME": str(tmp_path), "SHELL": "/usr/bin/zsh"}
    assert default_file("bash", env) == tmp_path / ".bash_history"
    assert default_file("zsh", env) == tmp_path / ".zsh_history"
    assert default_file("zsh", {**env, "HISTFILE": str(tmp_path / "h")}) == tmp_path / "h"
    assert default_file("fish", env) == tmp_path / ".local" / "share" / "fish" / "fish_history"
    assert guess_shell(None, env) == "zsh"
    assert guess_shell(tmp_path / "fish_history", env) == "fish"
    assert guess_shell(None, {"SHELL": "/bin/tcsh"}) == "bash"
