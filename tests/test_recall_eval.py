"""Recall end to end on a seeded history (tools/eval_recall.py): English questions asked through the
dispatcher, the rows that come back scored against what the seed says they should be."""

import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))
import eval_recall  # noqa: E402


@pytest.mark.parametrize("name, floor", [("recall_questions.tsv", 0.95), ("recall_heldout.tsv", 0.8)])
def test_recall_precision_and_recall_stay_above_their_floor(tmp_path, name, floor):
    answers = eval_recall.evaluate(tmp_path, name)
    precision, recall, _ = eval_recall.scores(answers)
    missed = [(a.question, sorted(a.expected), a.returned) for a in answers if set(a.returned) != a.expected]
    assert precision >= floor and recall >= floor, missed


def test_the_evaluation_puts_the_real_clock_back(tmp_path):
    """The evaluation reads relative times from the seed's "now"; nlsh itself must not keep it."""
    from nlsh.kernel.roads import recall

    real = recall.now
    eval_recall.evaluate(tmp_path)
    assert recall.now is real  # the fixed clock is put back
