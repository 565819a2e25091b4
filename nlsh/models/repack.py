"""Whether llama.cpp may repack the weights into its "extra buffer types" on this CPU.

At load, llama.cpp copies the weights into layouts made for the CPU's fastest instructions (its
CPU_REPACK buffer, and on Intel CPUs with AMX its AMX buffer). That can pay on some CPUs, and on
others it kills the process: on Sapphire Rapids class Xeons the AMX path faults on its first matrix
multiply (llama.cpp issue 20824), a SIGSEGV that no Python code can catch.

So the first time a model is used with a llama.cpp build on a CPU, a child process loads it with
repacking on and decodes a few tokens (nlsh/models/probe.py). A child that dies is a crash nlsh
survives; the verdict is remembered per llama.cpp build, CPU and model, and later loads pay nothing.
If the child dies even without repacking, the model cannot run here: one clear line, exit 4.

The setting (config key `repack`, environment NLSH_REPACK) is "auto" (probe), "on" or "off"; "off"
is also the default when nothing can be probed. Measured with tools/bench_model.py --repack: see the
README's speed table."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable

from nlsh import paths
from nlsh.models.base import ModelError

SETTINGS = ("auto", "on", "off")
PROBE_TIMEOUT = 180.0  # seconds: loading 1 GB on a busy 2-core machine is slow, a hang is not a verdict


def check_setting(value: str) -> str:
    if value not in SETTINGS:
        raise ValueError(f"repack must be one of {', '.join(SETTINGS)}, not {value!r}")
    return value


def cpu_signature() -> str:
    """What distinguishes one CPU from another for llama.cpp: its model and instruction-set flags."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return f"{platform.machine()} {platform.processor()}"
    keep = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "flags", "Features", "CPU implementer", "CPU part"):
            keep.append(f"{key.strip()}={value.strip()}")
        elif not line.strip() and keep:
            break  # the first processor describes them all
    return "\n".join(keep) or platform.machine()


def _verdict_key(model_identity: str) -> str:
    import llama_cpp

    blob = json.dumps([llama_cpp.__version__, cpu_signature(), model_identity])
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _read_verdicts(target: Path) -> dict:
    try:
        found = json.loads(target.read_text())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _remember(target: Path, key: str, repack: bool) -> None:
    verdicts = _read_verdicts(target)
    verdicts[key] = repack
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        tmp.write_text(json.dumps(verdicts, indent=1))
        os.replace(tmp, target)
    except OSError:
        pass  # not remembered: the next run probes again, nothing worse


def _probe_command(model_path: Path, repack: bool, threads: int) -> list[str]:
    return [sys.executable, "-m", "nlsh.models.probe", str(model_path),
            "--repack", "on" if repack else "off", "--threads", str(threads)]


def _probe(model_path: Path, repack: bool, threads: int) -> str | None:
    """None when a child process loaded the model and decoded cleanly; otherwise how it ended.
    A load that failed with an error (a damaged file) ends in "error: ..."; that is no verdict on
    the CPU, and the load in process will say it properly."""
    try:
        done = subprocess.run(_probe_command(model_path, repack, threads), stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=PROBE_TIMEOUT, text=True, errors="replace")
    except subprocess.TimeoutExpired:
        return f"given no answer within {PROBE_TIMEOUT:.0f} s"
    if done.returncode == 0 and done.stdout.strip().endswith("ok"):
        return None
    return describe_end(done.returncode, done.stderr)


def describe_end(returncode: int, stderr: str) -> str:
    """How a child process that did not succeed ended: 'killed by SIGSEGV', or 'error: <its last line>'."""
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    last = (stderr.strip().splitlines() or [f"exit status {returncode}"])[-1]
    return f"error: {last}"


def use_repacking(model_path: Path, model_identity: str, setting: str, threads: int, *,
                  cache_dir: Path | None = None, notify: Callable[[str], None] | None = None) -> bool:
    """Decide for one load; verdicts are kept in `cache_dir` (default: nlsh's cache). Raises
    ModelError when llama.cpp cannot run the model on this CPU."""
    if check_setting(setting) != "auto":
        return setting == "on"
    verdicts = (cache_dir or paths.cache_dir()) / "llama-cpu-verdicts.json"
    key = _verdict_key(model_identity)
    remembered = _read_verdicts(verdicts).get(key)
    if isinstance(remembered, bool):
        return remembered
    if notify is not None:
        notify("nlsh: checking once that llama.cpp runs safely on this CPU")
    endings = []
    for repack in (True, False):  # the faster layout first, then the plain one
        ending = _probe(model_path, repack, threads)
        if ending is None:
            _remember(verdicts, key, repack)
            return repack
        if ending.startswith("error:"):
            return False  # not the CPU's doing: the load in process reports it
        endings.append(ending)
    safe_end, fast_end = endings[1], endings[0]
    raise ModelError(f"llama.cpp cannot run {model_path.name} on this CPU: a test load was {safe_end} "
                     f"(with weight repacking: {fast_end}). Choose a remote model with --model.")
