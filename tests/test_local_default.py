"""The default model (Qwen2.5-Coder-1.5B), only where its 22 pip parts (or an assembled copy) are
installed: assembled from the parts into a fresh cache, sha-checked, and asked a simple request."""

from __future__ import annotations

import pytest

from nlsh.kernel.context import Facts, build_prompt
from nlsh.kernel.plan import Plan
from nlsh.models import gguf_store
from nlsh.models.base import ToolSpec
from nlsh.models.catalog import CATALOG, DEFAULT_LOCAL

pytest.importorskip("llama_cpp")

QWEN = CATALOG[DEFAULT_LOCAL]
SHELL = ToolSpec("shell", "run one bash command line",
                 {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]},
                 "varies")


@pytest.mark.skipif(not gguf_store.part_paths(QWEN), reason="the default model's parts are not installed")
def test_default_model_lists_files(tmp_path):
    from nlsh.models.local import load_local

    for name in ("a.txt", "b.log"):
        (tmp_path / name).write_text("x\n")
    model = load_local(DEFAULT_LOCAL)  # assembles into this test's NLSH_HOME, verifying the sha256
    assert model.path == gguf_store.cached_path(QWEN)
    prompt = build_prompt("list the files here", profile="shell", specs=[SHELL], facts=Facts(tmp_path))
    plan = Plan.from_json(model.complete(prompt))
    assert [s.tool for s in plan.steps] == ["shell"]
    assert plan.steps[0].args["command"].split()[0] in ("ls", "find", "tree")
