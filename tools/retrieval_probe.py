#!/usr/bin/env python3
"""What the example bank offers for requests of our own (never the evaluation tasks): the candidates
BM25 finds for each request, with their WordLlama similarity, and which would be shown. For judging
retrieval by eye and choosing its similarity threshold.

    python tools/retrieval_probe.py                      # the requests of tools/eval_history_seed.jsonl
    python tools/retrieval_probe.py "show processes as a tree" ...
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nlsh.kernel import retrieval  # noqa: E402

SEED = REPO / "tools" / "eval_history_seed.jsonl"


def main(argv: list[str]) -> int:
    requests = argv or [json.loads(line)["request"] for line in SEED.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as cache:
        for request in requests:
            shown = retrieval.similar_examples(request, Path(cache))
            print(f"== {request}")
            for score, description, command, _ in retrieval.candidates(request, Path(cache))[:6]:
                mark = "*" if (description, command) in shown else " "
                print(f" {mark} {'-' if score is None else f'{score:.2f}'}  {description}  ||  {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
