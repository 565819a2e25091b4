"""tools/bench.py works (a smoke run); its numbers are read by people, not asserted."""

import subprocess
import sys

from conftest import REPO


def test_quick_bench_prints_a_table_with_ratios(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(REPO / "tools" / "bench.py"), "--quick", "--only", "startup,pipe,jail",
                           "--json", str(out)], capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    assert "nlsh --help" in proc.stdout and "x python -c pass" in proc.stdout
    assert "cat log | nlsh" in proc.stdout
    import json

    rows = json.loads(out.read_text())["rows"]
    assert all(r["value"] == r["value"] for r in rows)  # no NaN
    assert {r["section"] for r in rows} == {"startup", "pipe", "jail"}
    assert "cost of the read jail per step" in proc.stdout


def test_quick_routing_bench_compares_the_repl_with_bash(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(REPO / "tools" / "bench.py"), "--quick", "--only", "routing",
                           "--json", str(out)], capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    import json

    rows = {r["name"]: r for r in json.loads(out.read_text())["rows"]}
    ours = rows["nlsh REPL: typed line, Enter to first byte"]
    assert ours["reference"] == "bash -i" and ours["value"] > 0 and ours["ratio"] > 0
    assert 0 < rows["dispatch: road of one line (labelled set)"]["value"]
