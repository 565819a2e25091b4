"""Speed of the local model, request to plan, against the physical limit of the hardware.

    python tools/bench_model.py [--quick] [--model NAME|PATH.gguf]

For ~10 everyday requests, medians of:
  limit     llama-cpp-python directly: read just the request's tokens, write just the reply's tokens
  warm      LocalModel in this process, system prompt's KV state already in memory
  one-shot  a fresh process: import, load the model, load the prompt's KV state from disk, answer
  naive     a fresh process that evaluates the whole prompt (no saved state)
  repeated  the same request again (answer cache): in process, and in a fresh process
Targets: warm <= 1.3x limit, one-shot <= limit + 2.5 s, repeated <= 0.3 s."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

REQUESTS = [
    "list the files here",
    "show the five biggest files here",
    "how much disk space is free",
    "count the lines in notes.txt",
    "find python files changed in the last day",
    "show the processes using the most memory",
    "search for TODO in the python files",
    "make a tar.gz of the src directory",
    "show which program listens on port 8080",
    "print the last 20 lines of app.log",
]


def _workdir() -> Path:
    """A fixed little directory, so every process builds the same prompt."""
    work = Path(tempfile.gettempdir()) / "nlsh-bench-cwd"
    (work / "src").mkdir(parents=True, exist_ok=True)
    for name in ("notes.txt", "app.log", "main.py", "README.md"):
        (work / name).write_text("hello\n")
    return work


def _prompt(request: str):
    from nlsh.kernel.context import Facts, build_prompt
    from nlsh.models.base import ToolSpec

    shell = ToolSpec("shell", "run one bash command line", {
        "type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]}, "varies")
    return build_prompt(request, profile="shell", specs=[shell], facts=Facts(_workdir()))


def _model(spec: dict, **options):
    from nlsh.models.catalog import known
    from nlsh.models.local import LocalModel

    return LocalModel(Path(spec["path"]), known=known(spec["name"]), **options)


def _child(spec: dict) -> None:
    """One one-shot process: what `nlsh "request"` pays for planning."""
    model = _model(spec, answer_cache=spec["answer_cache"], kv_cache=spec["kv_cache"])
    reply = model.complete(_prompt(spec["request"]))
    print(json.dumps({"reply": reply, "prefix": model.last_prefix_source}))


def _fresh_process(spec: dict) -> tuple[float, dict]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], capture_output=True,
                         text=True, check=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    return time.perf_counter() - start, json.loads(out.stdout.strip().splitlines()[-1])


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _limit(llm, request_tokens: list[int], n_write: int) -> float:
    """Read the request's tokens and write n_write tokens greedily, nothing else."""
    llm.reset()
    llm._sampler = llm._init_sampler(temp=0.0, top_k=1)  # greedy, no grammar left from before
    start = time.perf_counter()
    llm.eval(request_tokens)
    for _ in range(n_write):
        token = llm.sample(temp=0.0, top_k=1)
        llm.eval([token])
    return time.perf_counter() - start


def _row(name, value, unit, reference=None):
    ratio = round(value / reference, 3) if reference else None
    return {"name": name, "value": round(value, 3), "unit": unit,
            "reference": round(reference, 3) if reference is not None else None, "ratio": ratio}


def _model_spec(name: str | None) -> dict:
    from nlsh.models.catalog import CATALOG, DEFAULT_LOCAL
    from nlsh.models.gguf_store import model_file, part_paths

    if name is None:
        default = CATALOG[DEFAULT_LOCAL]
        name = DEFAULT_LOCAL if part_paths(default) or model_file_exists(default) else "smollm2-135m"
    path, found = model_file(name)
    return {"name": found.name if found else name, "path": str(path)}


def model_file_exists(model) -> bool:
    from nlsh.models.gguf_store import cached_path

    return cached_path(model).is_file()


def bench(quick: bool, model_name: str | None = None) -> list[dict]:
    spec = _model_spec(model_name)  # from the real model cache; everything else in a temp home
    os.environ["NLSH_HOME"] = tempfile.mkdtemp(prefix="nlsh-bench-home-")
    requests = REQUESTS[:3] if quick else REQUESTS

    warm_model = _model(spec, answer_cache=False)
    prefix_seconds, _ = _timed(lambda: warm_model.complete(_prompt("say hello")))
    grammar_model = _model(spec, answer_cache=False, decoding="grammar", kv_cache=False)
    grammar_model._engine = warm_model.engine  # same weights and context, other decoding
    from nlsh.models.llama_engine import LlamaEngine

    # The limit runs on a second context of the same model, so the warm one keeps its state; each
    # request is measured the three ways back to back, so a change in machine load hits all three.
    direct = LlamaEngine(Path(spec["path"]), "direct", n_ctx=warm_model.n_ctx,
                         n_threads=warm_model.engine.llm.n_threads)
    warm, grammar, limit, written, read = [], [], [], [], []
    for request in requests:
        seconds, reply = _timed(lambda: warm_model.complete(_prompt(request)))
        warm.append(seconds)
        grammar.append(_timed(lambda: grammar_model.complete(_prompt(request)))[0])
        prefix, tokens, _ = warm_model._tokens(_prompt(request), "")
        command = json.loads(reply)["steps"][0]["args"]["command"]
        n_write = len(warm_model.engine.tokenize(command + "\n", bos=False))
        read.append(len(tokens) - len(prefix))
        written.append(n_write)
        limit.append(_limit(direct.llm, tokens[len(prefix):], n_write))
    del direct

    one_shot, naive = [], []
    for request in requests:
        child = {**spec, "request": request, "answer_cache": False}
        one_shot.append(_fresh_process({**child, "kv_cache": True})[0])
        if not quick or not naive:
            naive.append(_fresh_process({**child, "kv_cache": False})[0])

    cached_model = _model(spec, answer_cache=True)
    repeated, repeated_process = [], []
    for request in requests:
        cached_model.complete(_prompt(request))
        repeated.append(_timed(lambda: cached_model.complete(_prompt(request)))[0])
        child = {**spec, "request": request, "answer_cache": True, "kv_cache": True}
        repeated_process.append(_fresh_process(child)[0])

    validity = [] if quick else _validity(warm_model, requests)
    med = statistics.median
    lim = med(limit)
    return [
        _row("system prefix tokens", len(warm_model._tokens(_prompt("x"), "")[0]), "tokens"),
        _row("first call (prefix evaluated)", prefix_seconds, "s"),
        _row("request tokens read (median)", med(read), "tokens"),
        _row("reply tokens written (median)", med(written), "tokens"),
        _row("limit: read request + write reply", lim, "s"),
        _row("warm, in process (plain decoding)", med(warm), "s", lim),
        _row("warm, in process (grammar decoding)", med(grammar), "s", lim),
        _row("one-shot, fresh process + disk KV", med(one_shot), "s", lim + 2.5),
        _row("naive, fresh process, whole prompt", med(naive), "s", lim),
        _row("repeated request, in process", med(repeated), "s", 0.3),
        _row("repeated request, fresh process", med(repeated_process), "s", 0.3),
        *validity,
    ]


def _full_prompt(request: str):
    from nlsh.kernel.context import Facts, build_prompt
    from nlsh.tools.builtin import TOOLS
    from nlsh.tools.registry import Registry

    registry = Registry(TOOLS)
    prompt = build_prompt(request, profile="full", specs=registry.specs(), facts=Facts(_workdir()))
    return prompt, registry


def _valid_plan(text: str, registry) -> bool:
    from nlsh.kernel.plan import PlanError, parse_reply

    try:
        plan = parse_reply(text, allow_shell=False)
        for step in plan.steps:
            registry.get(step.tool).validate(step.args)
    except (PlanError, ValueError):
        return False
    return bool(plan.steps or plan.answer)


def _validity(model, requests: list[str]) -> list[dict]:
    """Plans against the whole typed tool table: how many are valid without and with the grammar."""
    from nlsh.models.grammar import plan_grammar

    engine = model.engine
    counts = {"free": 0, "grammar": 0}
    seconds = {"free": [], "grammar": []}
    for request in requests:
        prompt, registry = _full_prompt(request)
        prefix, tokens, max_tokens = model._tokens(prompt, "")
        max_tokens = min(max_tokens, 160)  # a one- or two-step plan fits; rambling is invalid anyway
        engine.prime(prefix)
        for mode in counts:
            grammar = plan_grammar(prompt.tools) if mode == "grammar" else None
            took, text = _timed(lambda: engine.generate(tokens, max_tokens=max_tokens, grammar=grammar))
            seconds[mode].append(took)
            counts[mode] += _valid_plan(text, registry)
    n = len(requests)
    return [
        _row("full tool table: valid plans, free decoding", counts["free"] / n, "share"),
        _row("full tool table: valid plans, grammar", counts["grammar"] / n, "share"),
        _row("full tool table: time per plan, free", statistics.median(seconds["free"]), "s"),
        _row("full tool table: time per plan, grammar", statistics.median(seconds["grammar"]), "s"),
    ]


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        _child(json.loads(argv[1]))
        return
    quick = "--quick" in argv
    name = argv[argv.index("--model") + 1] if "--model" in argv else None
    rows = bench(quick, name)
    from rich.console import Console
    from rich.table import Table

    table = Table("measure", "value", "unit", "reference", "ratio", title=f"nlsh local model: {name or 'default'}")
    for row in rows:
        table.add_row(row["name"], str(row["value"]), row["unit"],
                      "" if row["reference"] is None else str(row["reference"]),
                      "" if row["ratio"] is None else str(row["ratio"]))
    Console().print(table)
    if "--json" in argv:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
