"""llama-cpp-python behind a small surface: load a GGUF, keep the KV state of a fixed prefix (in
memory, and on disk across processes), and generate a continuation, optionally under a grammar.

llama_cpp is imported here only, inside functions: `nlsh --help` must not load a native library."""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import threading
from pathlib import Path
from typing import Callable

from nlsh.models.base import ModelError
from nlsh.models.parallel_samples import SEQUENCES, Sampling, sample_lines


def _quiet_llama_logs() -> None:
    import logging

    import llama_cpp._logger as llama_logger

    llama_logger.logger.setLevel(logging.CRITICAL)


KEEP_KV_FILES = 8


def default_threads() -> int:
    """One thread per idle core. llama.cpp's worker threads spin while they wait for each other, so
    on a busy machine more threads than idle cores are far slower (measured: 20x on 2 cores at
    load 8), while one thread too few costs at most its share."""
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return cores
    return max(1, min(cores, round(cores - load + 0.49)))


_LOADING = threading.Lock()


@contextlib.contextmanager
def load_params(*, repack: bool, sequences: int):
    """For the length of one load, llama.cpp's default parameters with weight repacking
    (`use_extra_bufts`) set as asked, and a context that holds `sequences` sequences in one shared
    set of cells (so sampled alternatives reuse the prompt's cells: models/parallel_samples.py).
    Llama() takes both from llama_*_default_params() and has no argument for them; the lock keeps
    two loads in one process from seeing each other's choice."""
    import llama_cpp.llama_cpp as native

    model_defaults, context_defaults = native.llama_model_default_params, native.llama_context_default_params

    def model():
        params = model_defaults()
        params.use_extra_bufts = repack
        return params

    def context():
        params = context_defaults()
        if sequences > 1:
            params.n_seq_max = sequences
            params.kv_unified = True
        return params

    with _LOADING:
        native.llama_model_default_params, native.llama_context_default_params = model, context
        try:
            yield
        finally:
            native.llama_model_default_params, native.llama_context_default_params = model_defaults, context_defaults


def open_llama(path: Path, *, repack: bool, n_ctx: int, n_threads: int, sequences: int = 1, **options):
    """A llama_cpp.Llama for `path`, loaded with repacking on or off. The one place nlsh loads a
    model: the engine, the CPU probe, the bench and the test server all come through here."""
    from llama_cpp import Llama

    with load_params(repack=repack, sequences=sequences):
        return Llama(model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, n_threads_batch=n_threads,
                     n_batch=512, verbose=False, **options)


def require_llama_cpp() -> None:
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        raise ModelError(
            "local models need llama-cpp-python: pip install 'nlsh[local]' "
            "(or choose a remote model with --model)"
        ) from None


class LlamaEngine:
    def __init__(self, path: Path, identity: str, *, n_ctx: int = 4096, n_threads: int | None = None,
                 kv_dir: Path | None = None, repack: bool = False):
        require_llama_cpp()
        _quiet_llama_logs()
        threads = n_threads or default_threads()
        try:
            self.llm = open_llama(path, repack=repack, n_ctx=n_ctx, n_threads=threads, sequences=SEQUENCES)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"llama.cpp could not load {path} ({exc}); the file may be damaged. "
                             "Get the model again (see `nlsh model list`).") from None
        self.identity = identity
        self.repack = repack
        self.kv_dir = kv_dir
        self.n_ctx = n_ctx
        self.evaluated = 0  # prompt tokens this engine had to evaluate (for tests and the bench)
        self._grammars: dict[str, object] = {}

    # --- text <-> tokens ---------------------------------------------------------------------
    def tokenize(self, text: str, *, bos: bool) -> list[int]:
        return self.llm.tokenize(text.encode("utf-8"), add_bos=bos, special=True)

    def metadata(self, key: str) -> str | None:
        return self.llm.metadata.get(key)

    def token_text(self, token_id: int) -> str:
        return self.llm.detokenize([token_id], special=True).decode("utf-8", "replace")

    # --- the fixed prefix's KV state -----------------------------------------------------------
    def _cached_tokens(self) -> list[int]:
        return list(self.llm.input_ids[: self.llm.n_tokens])

    def _kv_file(self, prefix: list[int]) -> Path | None:
        if self.kv_dir is None:
            return None
        import llama_cpp

        # A state only fits the same model, context size, weight layout and llama.cpp build.
        blob = repr((prefix, self.n_ctx, self.repack, SEQUENCES, llama_cpp.__version__))
        digest = hashlib.sha256(blob.encode()).hexdigest()[:24]
        return self.kv_dir / f"{self.identity[:24]}-{digest}.kv"

    def prime(self, prefix: list[int]) -> str:
        """Make the context hold `prefix`. Returns where its state came from: 'memory' (already
        there), 'disk' (a saved state), or 'computed' (evaluated now, and saved for next time)."""
        if prefix and self._cached_tokens()[: len(prefix)] == prefix:
            return "memory"
        path = self._kv_file(prefix)
        if path is not None and path.is_file() and self._load_state(path, prefix):
            return "disk"
        self.llm.reset()
        self.llm.eval(prefix)
        self.evaluated += len(prefix)
        if path is not None:
            self._save_state(path, prefix)
        return "computed"

    def _save_state(self, path: Path, prefix: list[int]) -> None:
        import llama_cpp

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tokens = (llama_cpp.llama_token * len(prefix))(*prefix)
        try:
            ok = llama_cpp.llama_state_save_file(self.llm.ctx, str(tmp).encode(), tokens, len(prefix))
            if ok:
                os.replace(tmp, path)  # readers only ever see a complete file
        finally:
            tmp.unlink(missing_ok=True)
        self._prune(keep=KEEP_KV_FILES)

    def _prune(self, keep: int) -> None:
        """Keep the most recently used states: one per system prompt seen lately, not one per
        system prompt ever seen (a 1,300-token prefix of the 1.5B model is ~40 MB)."""
        assert self.kv_dir is not None
        files = sorted(self.kv_dir.glob("*.kv"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[keep:]:
            old.unlink(missing_ok=True)

    def _load_state(self, path: Path, prefix: list[int]) -> bool:
        import llama_cpp

        capacity = self.n_ctx
        tokens = (llama_cpp.llama_token * capacity)()
        count = ctypes.c_size_t(0)
        ok = llama_cpp.llama_state_load_file(self.llm.ctx, str(path).encode(), tokens, capacity,
                                             ctypes.byref(count))
        if not ok or list(tokens[: count.value]) != prefix:
            self.llm.reset()
            path.unlink(missing_ok=True)  # stale or damaged: compute it again
            return False
        os.utime(path)  # recently used: kept by _prune
        # Tell the Python wrapper what the context now holds, so its prefix matching reuses it.
        self.llm.input_ids[: len(prefix)] = prefix
        self.llm.n_tokens = len(prefix)
        return True

    def forget_after(self, n_tokens: int) -> None:
        """After an interrupted generation keep only the first n_tokens as reusable."""
        self.llm.n_tokens = min(self.llm.n_tokens, n_tokens)

    # --- generation ----------------------------------------------------------------------------
    def grammar(self, text: str):
        if text not in self._grammars:
            from llama_cpp import LlamaGrammar

            self._grammars[text] = LlamaGrammar.from_string(text, verbose=False)
        return self._grammars[text]

    def generate(self, tokens: list[int], *, max_tokens: int, grammar: str | None = None,
                 stop: list[str] | None = None, on_text: Callable[[str], None] | None = None) -> str:
        """Greedy continuation of `tokens` (the prefix already in the context is not evaluated again)."""
        common = 0
        for a, b in zip(self._cached_tokens(), tokens[:-1]):
            if a != b:
                break
            common += 1
        self.evaluated += len(tokens) - common
        chunks = self.llm.create_completion(
            prompt=tokens, max_tokens=max_tokens, temperature=0.0, top_k=1, repeat_penalty=1.0,
            stop=stop or [], grammar=self.grammar(grammar) if grammar else None, stream=True,
        )
        parts = []
        for chunk in chunks:
            text = chunk["choices"][0]["text"]
            parts.append(text)
            if on_text is not None:
                on_text(text)
        return "".join(parts)

    def sample_lines(self, tokens: list[int], count: int, *, max_tokens: int,
                     sampling: Sampling = Sampling()) -> list[str]:
        """`count` sampled first lines continuing `tokens`, decoded side by side (parallel_samples.py)."""
        return sample_lines(self.llm, tokens, count, max_tokens=max_tokens, sampling=sampling)
