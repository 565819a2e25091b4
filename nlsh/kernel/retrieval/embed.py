"""Sentence similarity with WordLlama: static token embeddings, pooled; its weights ship inside its
wheel, so it is loaded from the package's own directory and never from the network. Optional: without
the package, retrieval ranks by BM25 alone."""

from __future__ import annotations

import os
from functools import lru_cache


@lru_cache(maxsize=1)
def _model():
    try:
        import wordllama
    except ImportError:
        return None
    return wordllama.WordLlama.load(cache_dir=os.path.dirname(wordllama.__file__), disable_download=True)


def available() -> bool:
    return _model() is not None


def similarities(query: str, texts: list[str]) -> list[float]:
    """Cosine similarity of the query to each text (the vectors come normalised)."""
    model = _model()
    vectors = model.embed([query, *texts], norm=True)
    return [float(s) for s in vectors[1:] @ vectors[0]]
