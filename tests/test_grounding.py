"""Grounding: the files and directories a request names are looked up below the current directory,
so the model is told where they really are."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlsh.kernel.grounding import _shown, locate, named_in


@pytest.mark.parametrize("request_text, names", [
    ("count the lines in notes.txt", ["notes.txt"]),
    ("show logs/app.log", ["logs/app.log"]),
    ("list the files in the build folder", ["build"]),
    ("compress directory src and the file a.tar.gz", ["src", "a.tar.gz"]),
    ("find python files in the current directory", []),
    ("what is in ~/.bashrc or https://example.org/x.html", []),
    ("version 1.5 of python", []),
])
def test_names_that_look_like_files_or_directories(request_text, names):
    assert named_in(request_text) == names


def test_a_name_found_below_is_reported_with_its_path(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "notes.txt").write_text("x")
    (tmp_path / "here.txt").write_text("x")
    (tmp_path / "a" / "logs").mkdir()
    (tmp_path / "a" / "logs" / "app.log").write_text("x")
    found = locate(["notes.txt", "here.txt", "missing.txt", "logs/app.log"], tmp_path)
    assert found == [("notes.txt", "a/b/notes.txt"), ("logs/app.log", "a/logs/app.log")]


def test_the_shallowest_places_come_first_and_only_a_few(tmp_path):
    for depth in range(5):
        place = tmp_path.joinpath(*["d"] * (depth + 1))
        place.mkdir(parents=True, exist_ok=True)
        (place / "x.cfg").write_text("")
    [(name, where)] = locate(["x.cfg"], tmp_path)
    assert where == "d/x.cfg, d/d/x.cfg, d/d/d/x.cfg"


def test_the_search_stops_at_its_deadline(tmp_path):
    for i in range(50):
        (tmp_path / f"dir{i}").mkdir()
    (tmp_path / "dir49" / "late.txt").write_text("")
    assert locate(["late.txt"], tmp_path, seconds=0.0) == []
    assert locate(["late.txt"], tmp_path) == [("late.txt", "dir49/late.txt")]


def test_paths_from_the_root_are_absolute():
    assert _shown(Path("/srv/data/x"), Path("/")) == "/srv/data/x"
    assert _shown(Path("/srv/data/x"), Path("/srv")) == "data/x"
