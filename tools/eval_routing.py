#!/usr/bin/env python3
"""Routing accuracy of the dispatcher on the labelled sets in tests/data/routing_*.tsv, judged on the
fixed machine of tests/routing_machine.py (so the result does not depend on what is installed here).

    python tools/eval_routing.py          # each set's accuracy and its misrouted lines"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
DATA = REPO / "tests" / "data"
SETS = ("routing_lines.tsv", "routing_heldout.tsv", "routing_fresh.tsv", "routing_final.tsv")


def misrouted(name: str, workdir: Path) -> tuple[int, list[tuple[str, str, str]]]:
    """(how many lines, [(label, road taken, line)] for each line that took another road)."""
    from routing_machine import index, labelled, project

    from nlsh.kernel.dispatch import route

    rows = labelled(DATA / name)
    cwd, machine = project(workdir), index()
    return len(rows), [(label, road, text) for label, text in rows if (road := route(text, machine, cwd).road) != label]


def main() -> None:
    for name in SETS:
        with tempfile.TemporaryDirectory() as workdir:
            total, wrong = misrouted(name, Path(workdir))
        print(f"{name}: {total - len(wrong)}/{total} = {(total - len(wrong)) / total:.3f}")
        for label, road, text in wrong:
            print(f"  {label:>8} -> {road:<8} {text}")


if __name__ == "__main__":
    main()
