"""The example bank must hold nothing of the evaluation tasks: no description equal or nearly equal
to a task's request, no command equal or nearly equal to a task's reference commands. The tasks are
read here for this check only (../shared/eval, beside the repository); without them the test skips."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from nlsh.kernel.context import shell_examples
from nlsh.kernel.retrieval.bank import own_pairs
from nlsh.kernel.retrieval.tldr import tldr_pairs

EVAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
NEAR = 0.8  # Jaccard similarity of word sets from which two texts count as the same
MIN_WORDS = 3  # `pwd` or `ls -la` is everyone's command, not a copy of a task; longer ones must differ


def words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+|[^\sa-z0-9]", text.lower()))


def task_texts() -> list[tuple[str, str, str]]:
    """(where, kind, text) of every request and reference command of every task file found."""
    files = sorted(EVAL_DIR.glob("**/*.jsonl")) if EVAL_DIR.is_dir() else []
    if not files:
        pytest.skip(f"no evaluation tasks at {EVAL_DIR}")
    texts = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                task = json.loads(line)
                where = f"{path.name}:{number}"
                texts.append((where, "request", task.get("nl", "")))
                texts += [(where, "command", task.get(key, "")) for key in ("bash", "bash2")]
    return texts


def near_copies(bank: list[tuple[str, str]], tasks: list[tuple[str, str, str]]) -> list[str]:
    """Bank entries (kind, text) too close to a task text of the same kind, found through an inverted
    index of words so 30,000 entries against 600 texts stay quick."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    bank_words = [words(text) for _, text in bank]
    for i, ((kind, _), ws) in enumerate(zip(bank, bank_words)):
        for w in ws:
            index[(kind, w)].append(i)
    found = []
    for where, kind, text in tasks:
        mine = words(text)
        if len(text.split()) < MIN_WORDS or not mine:
            continue
        shared = Counter(i for w in mine for i in index.get((kind, w), ()))
        for i, common in shared.items():
            if common / len(mine | bank_words[i]) >= NEAR:
                found.append(f"{kind} {bank[i][1]!r} is close to the {kind} of task {where}")
    return found


def test_no_bank_entry_is_a_task_or_close_to_one():
    tasks = task_texts()
    bank = [(kind, text) for pair in [*own_pairs(), *tldr_pairs()]
            for kind, text in (("request", pair.description), ("command", pair.command))]
    assert len(bank) > 40000
    assert near_copies(bank, tasks) == []


def test_the_check_finds_a_planted_copy():
    """The check itself works: an entry copied from a task, or lightly reworded, is caught."""
    tasks = [("t:1", "request", "print the number of lines in each of the text files"),
             ("t:1", "command", "find . -name '*.txt' -exec wc -l {} +")]
    bank = [("request", "Print the number of lines in each of the text files."),
            ("command", "find . -name '*.txt' -exec wc -l {} \\;"),
            ("request", "Count words in a file"), ("command", "wc -w file")]
    found = near_copies(bank, tasks)
    assert len(found) == 2 and "t:1" in found[0]


def test_no_example_of_the_fixed_prompt_is_a_task_or_close_to_one():
    examples = shell_examples()
    assert len(examples) >= 10 and all(r and c and not r.startswith("Request") for r, c in examples)
    prompt = [(kind, text) for request, command in examples
              for kind, text in (("request", request), ("command", command))]
    assert near_copies(prompt, task_texts()) == []
