"""What llama.cpp's weight repacking ("extra buffer types") buys on this CPU, and what it costs.

    python tools/bench_repack.py [--model NAME|PATH.gguf] [--runs N] [--json]

Each configuration runs in child processes (a crash is a result, not the end of the bench):
  off            use_extra_bufts = false: plain CPU kernels (nlsh's choice where repacking crashes)
  on             use_extra_bufts = true: repacked weights, and AMX tiles where the CPU has them
  on, AMX held   repacked weights with the AMX permission refused by a seccomp filter, so llama.cpp
                 takes the repacked AVX2/AVX-512 kernels that a CPU without AMX runs: on an AMX
                 machine this measures the other common case
For each: load time, prompt evaluation (tokens/s over ~200 tokens), generation (tokens/s over 32
greedy tokens) and one-shot time to plan (fresh process: load, system prompt, request, reply).
Medians of --runs child processes per configuration (default 3)."""

from __future__ import annotations

import ctypes
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nlsh.models.repack import describe_end  # noqa: E402

CONFIGS = {"off": (False, False), "on": (True, False), "on, AMX held": (True, True)}
PROMPT = ("You turn requests into one bash command line. Request: find every python file below this "
          "directory that was changed in the last two days and is larger than ten kilobytes, then show "
          "their sizes sorted from the largest to the smallest, with human readable units. ") * 3


def hold_amx() -> None:
    """Refuse arch_prctl(ARCH_REQ_XCOMP_PERM) in this process: llama.cpp then finds no AMX."""
    libc = ctypes.CDLL(None, use_errno=True)
    ld, jeq, ret = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K
    allow, refuse = 0x7FFF0000, 0x00050000 | 1  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EPERM
    program = [
        (ld, 0, 0, 4), (jeq, 0, 5, 0xC000003E),   # not x86-64: allow
        (ld, 0, 0, 0), (jeq, 0, 3, 158),          # not arch_prctl: allow
        (ld, 0, 0, 16), (jeq, 0, 1, 0x1023),      # not ARCH_REQ_XCOMP_PERM: allow
        (ret, 0, 0, refuse), (ret, 0, 0, allow),
    ]

    class Instruction(ctypes.Structure):
        _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(Instruction))]

    filters = (Instruction * len(program))(*(Instruction(*i) for i in program))
    if libc.prctl(38, 1, 0, 0, 0) != 0 or libc.prctl(22, 2, ctypes.byref(Program(len(program), filters)), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "seccomp filter refused")


def child(path: str, repack: bool, amx_held: bool, threads: int) -> dict:
    if amx_held:
        hold_amx()
    from nlsh.models.llama_engine import open_llama

    started = time.perf_counter()
    llm = open_llama(Path(path), repack=repack, n_ctx=1024, n_threads=threads)
    load = time.perf_counter() - started
    tokens = llm.tokenize(PROMPT.encode(), add_bos=True)
    started = time.perf_counter()
    llm.eval(tokens)
    prompt_tps = len(tokens) / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(32):
        llm.eval([llm.sample(top_k=1, temp=0.0)])
    return {"load_s": load, "prompt_tps": prompt_tps, "gen_tps": 32 / (time.perf_counter() - started)}


def one_shot_child(path: str, repack: bool, amx_held: bool, threads: int) -> dict:
    """What `nlsh "request"` pays to plan in a fresh process, KV state of the prefix from disk."""
    if amx_held:
        hold_amx()
    from tools.bench_model import _prompt

    from nlsh.models.local import LocalModel

    started = time.perf_counter()
    model = LocalModel(Path(path), n_threads=threads, answer_cache=False, repack="on" if repack else "off")
    model.complete(_prompt("show the five biggest files here"))
    return {"one_shot_s": time.perf_counter() - started}


def run_child(kind: str, path: str, repack: bool, amx_held: bool, threads: int) -> dict:
    args = json.dumps([kind, path, repack, amx_held, threads])
    done = subprocess.run([sys.executable, __file__, "--child", args], capture_output=True, text=True,
                          cwd=REPO, timeout=600)
    if done.returncode != 0:
        return {"failed": describe_end(done.returncode, done.stderr)}
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(path: str, runs: int) -> list[dict]:
    import os
    import tempfile

    from nlsh.models.llama_engine import default_threads

    os.environ["NLSH_HOME"] = tempfile.mkdtemp(prefix="nlsh-bench-repack-")  # its own KV cache
    threads = default_threads()
    rows = []
    for name, (repack, amx_held) in CONFIGS.items():
        samples = [run_child("speed", path, repack, amx_held, threads) for _ in range(runs)]
        if any("failed" in s for s in samples):
            rows.append({"config": name, "failed": next(s["failed"] for s in samples if "failed" in s)})
            continue
        run_child("one-shot", path, repack, amx_held, threads)  # saves the prefix's KV state to disk
        shots = [run_child("one-shot", path, repack, amx_held, threads) for _ in range(runs)]
        row = {"config": name, **{k: statistics.median(s[k] for s in samples) for k in samples[0]}}
        row["one_shot_s"] = statistics.median(s.get("one_shot_s", float("nan")) for s in shots)
        rows.append(row)
    return rows


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        kind, path, repack, amx_held, threads = json.loads(argv[1])
        measure = child if kind == "speed" else one_shot_child
        print(json.dumps(measure(path, repack, amx_held, threads)))
        return
    from tools.bench_model import _model_spec

    path = _model_spec(argv[argv.index("--model") + 1] if "--model" in argv else None)["path"]
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    rows = bench(path, runs)
    if "--json" in argv:
        print(json.dumps(rows, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("repacking", "load s", "prompt tok/s", "generate tok/s", "one-shot plan s",
                  title=f"llama.cpp weight repacking: {Path(path).name}")
    for row in rows:
        if "failed" in row:
            table.add_row(row["config"], f"[red]{row['failed']}[/]", "", "", "")
        else:
            table.add_row(row["config"], f"{row['load_s']:.2f}", f"{row['prompt_tps']:.0f}",
                          f"{row['gen_tps']:.1f}", f"{row['one_shot_s']:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main(sys.argv[1:])
