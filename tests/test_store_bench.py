import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "tools" / "bench_history.py"


@pytest.fixture(scope="module")
def bench_module():
    spec = importlib.util.spec_from_file_location("bench_history", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_rows_have_the_agreed_shape(bench_module):
    rows = bench_module.bench(quick=True, count=3000)
    assert all(set(r) == {"name", "value", "unit", "reference", "ratio"} for r in rows)
    by_name = {r["name"]: r for r in rows}
    record = by_name["record one request (4 writes), median"]
    assert record["unit"] == "ms" and record["reference"] == 2.0
    assert record["ratio"] == pytest.approx(record["value"] / 2.0, rel=0.01)
    assert by_name["database size per 1,000 requests"]["value"] > 0
    assert sum(r["name"].startswith("recall:") for r in rows) >= 4


def test_synthetic_history_is_deterministic(bench_module):
    first = [r["text"] for r in bench_module.synthetic_requests(50)]
    again = [r["text"] for r in bench_module.synthetic_requests(50)]
    assert first == again and len(set(first)) > 10
