"""Weight repacking is decided per CPU by a probe in a child process, so a CPU feature that crashes
llama.cpp (the AMX path on Sapphire Rapids) never kills nlsh. The first test runs the real thing on
whatever machine the suite runs on: a real model, loaded the way the product loads it, decodes."""

from __future__ import annotations

import json
import sys

import pytest

from nlsh.kernel.context import Facts, build_prompt
from nlsh.kernel.plan import Plan
from nlsh.models import repack
from nlsh.models.base import ModelError, ToolSpec

pytest.importorskip("llama_cpp")

SHELL = ToolSpec("shell", "run one bash command line",
                 {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]},
                 "varies")
VERDICTS = "llama-cpu-verdicts.json"




def crash_when_repacking(model_path, repack_on, threads):
    """A probe that dies as llama.cpp's AMX kernels do on a CPU that faults: SIGSEGV."""
    if repack_on:
        return [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"]
    return [sys.executable, "-m", "nlsh.models.probe", str(model_path), "--repack", "off", "--threads", str(threads)]


def always_crash(model_path, repack_on, threads):
    return [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"]


def test_a_real_model_plans_on_this_machine_through_the_product_path(smol_path, nlsh_home, tmp_path):
    from nlsh.models.local import load_local

    model = load_local(str(smol_path), n_ctx=1024, answer_cache=False)
    prompt = build_prompt("list the files here", profile="shell", specs=[SHELL], facts=Facts(tmp_path))
    prompt.max_tokens = 16
    plan = Plan.from_json(model.complete(prompt))
    assert [s.tool for s in plan.steps] == ["shell"]
    verdicts = json.loads((nlsh_home / "cache" / VERDICTS).read_text())
    assert list(verdicts.values()) in ([True], [False])  # probed once, and the verdict kept
    assert model.engine.repack is list(verdicts.values())[0]


@pytest.mark.parametrize("remembered", [True, False])
def test_a_remembered_verdict_is_used_without_a_probe(smol_path, tmp_path, monkeypatch, remembered):
    (tmp_path / VERDICTS).write_text(json.dumps({repack._verdict_key("id-0"): remembered}))
    monkeypatch.setattr(repack, "_probe_command", always_crash)  # a probe would raise ModelError
    assert repack.use_repacking(smol_path, "id-0", "auto", 1, cache_dir=tmp_path) is remembered


def test_a_probe_killed_by_a_signal_means_loading_without_repacking(smol_path, tmp_path, monkeypatch):
    monkeypatch.setattr(repack, "_probe_command", crash_when_repacking)
    notices = []
    assert repack.use_repacking(smol_path, "id-1", "auto", 1, cache_dir=tmp_path, notify=notices.append) is False
    assert len(notices) == 1
    assert list(json.loads((tmp_path / VERDICTS).read_text()).values()) == [False]
    # Remembered: a later load asks no child process, even one that would crash differently.
    monkeypatch.setattr(repack, "_probe_command", always_crash)
    assert repack.use_repacking(smol_path, "id-1", "auto", 1, cache_dir=tmp_path) is False


def test_when_the_model_crashes_either_way_loading_is_one_clear_error(smol_path, tmp_path, monkeypatch):
    monkeypatch.setattr(repack, "_probe_command", always_crash)
    with pytest.raises(ModelError) as caught:
        repack.use_repacking(smol_path, "id-2", "auto", 1, cache_dir=tmp_path)
    message = str(caught.value)
    assert "killed by SIGSEGV" in message and "--model" in message and "\n" not in message
    assert not (tmp_path / VERDICTS).exists()  # nothing remembered: a fixed llama.cpp is tried again


def test_a_crashing_cpu_makes_a_request_exit_4_not_die(smol_path, nlsh_home, tmp_path, monkeypatch):
    import io

    from rich.console import Console

    from nlsh.session import Options, Session, SessionIO
    from nlsh.tools.registry import load_registry

    monkeypatch.setattr(repack, "_probe_command", always_crash)
    out, err = io.StringIO(), io.StringIO()
    sio = SessionIO(out=out, err=Console(file=err, width=400), asker=None)
    session = Session(Options(model=str(smol_path)), sio, load_registry(), cwd=tmp_path)
    assert int(session.run("list the files here")) == 4
    assert "cannot run" in err.getvalue() and "killed by SIGSEGV" in err.getvalue()
    assert out.getvalue() == ""


def test_a_damaged_file_is_no_verdict_on_the_cpu(tmp_path):
    damaged = tmp_path / "damaged.gguf"
    damaged.write_bytes(b"GGUF" + b"\0" * 64)
    assert repack.use_repacking(damaged, "id-3", "auto", 1, cache_dir=tmp_path) is False
    assert not (tmp_path / VERDICTS).exists()


@pytest.mark.parametrize("setting, expected", [("on", True), ("off", False)])
def test_an_explicit_setting_is_obeyed_without_a_probe(smol_path, tmp_path, monkeypatch, setting, expected):
    monkeypatch.setattr(repack, "_probe_command", always_crash)
    assert repack.use_repacking(smol_path, "id-4", setting, 1, cache_dir=tmp_path) is expected


def test_the_setting_comes_from_the_config_file_or_the_environment(nlsh_home, monkeypatch):
    from nlsh.config import ConfigError, load_config

    assert load_config(env={}).repack == "auto"
    config = load_config(env={"NLSH_REPACK": "off"})
    assert (config.repack, config.sources["repack"]) == ("off", "env NLSH_REPACK")
    with pytest.raises(ConfigError, match="NLSH_REPACK"):
        load_config(env={"NLSH_REPACK": "fast"})
    (nlsh_home / "config").mkdir()
    (nlsh_home / "config" / "config.toml").write_text('repack = "sometimes"\n')
    with pytest.raises(ConfigError, match="config.toml:1: repack must be one of auto, on, off"):
        load_config(env={})
