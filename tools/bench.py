#!/usr/bin/env python3
"""nlsh's speed, measured against a reference in the same run, as medians and ratios.

    python tools/bench.py            # everything (takes a while: 1 GB log, 1M-row history, the model)
    python tools/bench.py --quick    # a smoke run in a few minutes (CI runs it)
    python tools/bench.py --only startup,pipe

Sections: startup (nlsh --help, nlsh tools and the REPL prompt vs `python -c pass`), routing (a typed
command line in the REPL, Enter to first byte, vs interactive bash; the dispatcher's time), pipe (a log
through `nlsh "count the lines containing ERROR"` vs `grep -c ERROR`, with peak RSS), model (plan
latency vs the model's physical limit: tools/bench_model.py), jail (a step and a 1 GB pipe stage with
and without the kernel jail: tools/bench_jail.py), history (1M recorded requests:
tools/bench_history.py). Ratios, not absolute times, are what to compare across machines."""

from __future__ import annotations

import argparse
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


def row(name: str, value: float, unit: str, reference: str = "", ref_value: float | None = None) -> dict:
    ratio = None if not ref_value else value / ref_value
    return {"name": name, "value": value, "unit": unit, "reference": reference, "ratio": ratio}


def timed(argv: list[str], *, env: dict, runs: int, stdin_path: Path | None = None, cwd: Path | None = None) -> float:
    """Median wall time of a fresh process, in seconds."""
    times = []
    for _ in range(runs):
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        started = time.perf_counter()
        proc = subprocess.run(argv, env=env, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
        times.append(time.perf_counter() - started)
        if stdin_path:
            stdin.close()
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.decode()[-500:]}")
    return statistics.median(times)


def bench_env(home: Path) -> dict:
    return {**os.environ, "NLSH_HOME": str(home), "PYTHONPATH": str(REPO)}


def bench_startup(quick: bool, home: Path) -> list[dict]:
    env, runs = bench_env(home), 5 if quick else 15
    base = timed([sys.executable, "-c", "pass"], env=env, runs=runs)
    rows = [row("python -c pass", base, "s")]
    for label, args in (("nlsh --help", ["--help"]), ("nlsh tools", ["tools"])):
        value = timed([sys.executable, "-m", "nlsh", *args], env=env, runs=runs)
        rows.append(row(label, value, "s", "python -c pass", base))
    rows.append(row("REPL prompt shown", repl_ready(env, runs), "s", "python -c pass", base))
    return rows


def repl_ready(env: dict, runs: int) -> float:
    """Time until the REPL prompt appears on a real pty, then Ctrl-D."""
    import pty
    import select

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(sys.executable, [sys.executable, "-m", "nlsh"], env)
        seen = b""
        while b"nlsh>" not in seen:
            ready, _, _ = select.select([fd], [], [], 30)
            if not ready:
                raise SystemExit("the REPL prompt did not appear within 30 s")
            seen += os.read(fd, 4096)
        times.append(time.perf_counter() - started)
        os.write(fd, b"\x04")
        os.waitpid(pid, 0)
        os.close(fd)
    return statistics.median(times)


class PtyShell:
    """An interactive program on a real pty, fed lines as a person would type them."""

    def __init__(self, argv: list[str], env: dict, prompt: bytes, cwd: str):
        import pty

        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(cwd)
            os.execve(argv[0], argv, env)
        self.unread = b""  # read past the last marker: the next wait starts with it
        self.read_until(prompt)

    def read_until(self, marker: bytes, timeout: float = 60) -> None:
        import select

        deadline = time.monotonic() + timeout
        while marker not in self.unread:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise SystemExit(f"{marker!r} did not appear within {timeout} s; saw {self.unread[-300:]!r}")
            self.unread += self._read()
        self.unread = self.unread[self.unread.index(marker) + len(marker):]

    def _read(self) -> bytes:
        chunk = os.read(self.fd, 65536)
        if b"\x1b[6n" in chunk:  # a cursor position request: answer it as a terminal would
            os.write(self.fd, b"\x1b[1;1R")
        return chunk

    def first_output(self, line: str, marker: bytes) -> float:
        """Seconds from Enter to the first byte of the line's output (MARKER, which the typed line
        itself does not contain)."""
        os.write(self.fd, line.encode())
        time.sleep(0.05)  # let the line editor show what was typed before Enter is pressed
        self.drain()
        started = time.perf_counter()
        os.write(self.fd, b"\r")
        self.read_until(marker)
        return time.perf_counter() - started

    def drain(self) -> None:
        """Forget what was shown so far (the typed line's echo)."""
        import select

        while select.select([self.fd], [], [], 0)[0]:
            self.unread += self._read()
        self.unread = b""

    def close(self) -> None:
        os.write(self.fd, b"\x04")
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def bench_routing(quick: bool, home: Path) -> list[dict]:
    """A typed command line in the REPL, Enter to first byte of output, against bash running the same
    line on the same kind of pty; and the dispatcher's own decision time per line."""
    env, runs = {**bench_env(home), "PS1": "bash$ ", "TERM": "xterm"}, 7 if quick else 25
    with tempfile.TemporaryDirectory() as cwd:
        nlsh = PtyShell([sys.executable, "-m", "nlsh"], env, b"nlsh>", cwd)
        bash = PtyShell(["/bin/bash", "--norc", "--noprofile", "-i"], env, b"bash$ ", cwd)
        first = nlsh.first_output("printf 'ready-%s\\n' 0", b"ready-0")  # imports and caches warm up here
        nlsh.read_until(b"nlsh>")
        bash.first_output("printf 'ready-%s\\n' 0", b"ready-0")
        ours, theirs = [], []
        for n in range(1, runs + 1):  # interleaved, so both see the same machine load
            ours.append(nlsh.first_output(f"printf 'ready-%s\\n' {n}", f"ready-{n}".encode()))
            nlsh.read_until(b"nlsh>")
            theirs.append(bash.first_output(f"printf 'ready-%s\\n' {n}", f"ready-{n}".encode()))
            bash.read_until(b"bash$ ")
        nlsh.close()
        bash.close()
    warm, reference = statistics.median(ours), statistics.median(theirs)
    return [
        row("bash -i: typed line, Enter to first byte", reference, "s"),
        row("nlsh REPL: typed line, Enter to first byte", warm, "s", "bash -i", reference),
        row("nlsh REPL minus bash (target 0.050)", warm - reference, "s"),
        row("nlsh REPL: the first typed line (cold)", first, "s", "bash -i", reference),
        row("dispatch: road of one line (labelled set)", route_time(), "s"),
    ]


def route_time() -> float:
    """Median time the dispatcher takes to pick the road of a line, over the labelled routing set."""
    sys.path.insert(0, str(REPO / "tests"))
    from routing_machine import index, labelled, project

    from nlsh.kernel.dispatch import route

    rows = labelled(REPO / "tests" / "data" / "routing_lines.tsv")
    with tempfile.TemporaryDirectory() as tmp:
        cwd, machine = project(Path(tmp)), index()
        for _, text in rows:  # warm the parser and caches
            route(text, machine, cwd)
        times = []
        for _, text in rows:
            started = time.perf_counter()
            route(text, machine, cwd)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def make_log(path: Path, size: int) -> None:
    line_ok = b"2026-11-22T10:00:00 INFO request served in 12 ms path=/api/items id=123456\n"
    line_err = b"2026-11-22T10:00:01 ERROR upstream timed out after 3000 ms path=/api/pay\n"
    block = (line_ok * 9 + line_err) * 1000
    with open(path, "wb") as f:
        for _ in range(max(1, size // len(block))):
            f.write(block)


def bench_pipe(quick: bool, home: Path) -> list[dict]:
    env, runs = bench_env(home), 3
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "app.log"
        make_log(log, (64 if quick else 1024) << 20)
        plan = Path(tmp) / "plan.json"
        plan.write_text(json.dumps([{"steps": [{"tool": "shell", "args": {"command": "grep -c ERROR"}}]}]))
        nlsh = [sys.executable, "-m", "nlsh", "--no-history", "--model", f"scripted:{plan}",
                "count the lines containing ERROR"]
        tiny = Path(tmp) / "tiny.log"
        tiny.write_bytes(b"one ERROR line\n")
        startup = timed(nlsh, env=env, runs=runs, stdin_path=tiny)  # same command, one line: start-up and planning
        grep = timed(["grep", "-c", "ERROR"], env=env, runs=runs, stdin_path=log)
        through_pipe = timed(["bash", "-c", f'cat "$0" | "$@"', str(log), *nlsh], env=env, runs=runs)
        grep_pipe = timed(["bash", "-c", 'cat "$0" | grep -c ERROR', str(log)], env=env, runs=runs)
        rss = peak_rss_kib(["bash", "-c", f'cat "$0" | "$@"', str(log), *nlsh], env)
    size = log.stat().st_size if log.exists() else (64 if quick else 1024) << 20
    return [
        row(f"grep -c ERROR < {size >> 20} MiB log", grep, "s"),
        row("cat log | grep -c ERROR", grep_pipe, "s"),
        row("cat log | nlsh (start-up and plan taken out)", through_pipe - startup, "s", "cat log | grep -c ERROR", grep_pipe),
        row("nlsh start-up and plan (one line of data)", startup, "s"),
        row("peak RSS of the pipeline stage", rss, "KiB"),
    ]


def peak_rss_kib(argv: list[str], env: dict) -> float:
    probe = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    out = subprocess.run([sys.executable, "-c", probe, *argv], env=env, capture_output=True, text=True)
    return float(out.stdout.strip() or 0)


def bench_model(quick: bool, home: Path) -> list[dict]:
    from tools.bench_model import bench

    return bench(quick)


def bench_history(quick: bool, home: Path) -> list[dict]:
    from tools.bench_history import bench

    return bench(quick)


def bench_jail(quick: bool, home: Path) -> list[dict]:
    from tools.bench_jail import bench

    return bench(quick, row, make_log)


SECTIONS = {"startup": bench_startup, "routing": bench_routing, "pipe": bench_pipe, "jail": bench_jail,
            "history": bench_history, "model": bench_model}


def print_table(rows: list[dict]) -> None:
    width = max(len(r["name"]) for r in rows) + 2
    print(f"{'measurement':<{width}}{'median':>12}  {'unit':<5} ratio vs reference")
    for r in rows:
        ratio = f"{r['ratio']:.2f}x {r['reference']}" if r.get("ratio") is not None else ""
        print(f"{r['name']:<{width}}{r['value']:>12.4g}  {r['unit']:<5} {ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes and few runs: a smoke check")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as home:
        for name in args.only.split(","):
            if name not in SECTIONS:
                parser.error(f"unknown section {name!r} (one of {', '.join(SECTIONS)})")
            print(f"== {name}", file=sys.stderr)
            section = SECTIONS[name](args.quick, Path(home))
            for r in section:
                r["section"] = name
            rows += section
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), "command": sys.argv, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
