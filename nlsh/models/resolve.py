"""Model name -> model. `scripted:PATH`, a local GGUF (a known name or a path ending .gguf), or
anything else through litellm. Each backend is imported only when it is chosen."""

from __future__ import annotations

from typing import Any

from nlsh.models.base import Model

DEFAULT_MODEL = "qwen2.5-coder-1.5b"


def resolve_model(name: str | None, *, api_base: str | None = None, timeout: float = 60.0,
                  options: dict[str, Any] | None = None, repack: str = "auto") -> Model:
    name = name or DEFAULT_MODEL
    if name.startswith("scripted:"):
        from nlsh.models.scripted import ScriptedModel

        return ScriptedModel.from_path(name.removeprefix("scripted:"))
    from nlsh.models.catalog import is_local_name

    if is_local_name(name) and not api_base:
        from nlsh.models.local import load_local

        return load_local(name, **{"repack": repack, **(options or {})})
    from nlsh.models.remote import RemoteModel

    return RemoteModel(name, api_base=api_base, timeout=timeout, options=options)
