"""A child process that loads a GGUF and decodes a few tokens, then prints "ok".

nlsh/models/repack.py runs it before the first real load of a model on a CPU: a native crash kills
this process, not nlsh. It decodes a batch (the path a prompt takes) and then single tokens (the path
a reply takes), with as many threads as a real request, since either may reach a faulty kernel."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlsh.models.probe")
    parser.add_argument("model", type=Path)
    parser.add_argument("--repack", choices=("on", "off"), required=True)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)

    from nlsh.models.llama_engine import open_llama

    try:
        llm = open_llama(args.model, repack=args.repack == "on", n_ctx=256, n_threads=args.threads)
    except Exception as exc:  # a damaged file, a model llama.cpp does not know: said, not a crash
        print(f"load failed: {exc}", file=sys.stderr)
        return 1
    prompt = llm.tokenize(b"List the files in this directory, largest first:", add_bos=True)
    llm.eval(prompt)
    for _ in range(3):
        token = llm.sample(top_k=1, temp=0.0)
        llm.eval([token])
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
