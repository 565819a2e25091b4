"""Routing accuracy on the labelled sets (tests/data/routing_*.tsv), on the machine described in
routing_machine.py: at least 97% of lines must take the road their label says.

routing_lines.tsv is the set the rules were written against; routing_heldout.tsv was written after
and never used to change them, so it says how the rules do on lines they were not shaped on."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlsh.kernel.dispatch import route
from routing_machine import index, labelled, project

DATA = Path(__file__).parent / "data"
FLOOR = 0.97


@pytest.mark.parametrize("name, at_least", [("routing_lines.tsv", 400), ("routing_heldout.tsv", 200)])
def test_routing_accuracy_is_at_least_the_floor(name, at_least, tmp_path):
    rows = labelled(DATA / name)
    assert len(rows) >= at_least
    cwd = project(tmp_path)
    machine = index()
    wrong = [(label, road, text) for label, text in rows if (road := route(text, machine, cwd).road) != label]
    accuracy = 1 - len(wrong) / len(rows)
    shown = "\n".join(f"  {label:>8} -> {road:<8} {text}" for label, road, text in wrong)
    assert accuracy >= FLOOR, f"{name}: {accuracy:.3f} < {FLOOR}; misrouted:\n{shown}"


def test_every_road_is_in_the_sets():
    roads = {label for name in ("routing_lines.tsv", "routing_heldout.tsv") for label, _ in labelled(DATA / name)}
    assert roads == {"shell", "english", "recall", "undo", "fix", "why", "explain", "again", "amend", "cancel",
                     "notmeant"}
