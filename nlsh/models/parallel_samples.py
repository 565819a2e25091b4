"""Several sampled first lines for one prompt, decoded together.

The prompt's KV cells (sequence 0, left by the greedy reply) are shared with sequences 1..n by
llama.cpp's copy-on-reference `llama_memory_seq_cp`, so no prompt token is evaluated again; each
step then decodes one token of every unfinished sequence in a single batch: the weights are read
once per step, not once per sequence (`tools/bench_levers.py --samples`: four samples cost about
1.4x the greedy reply, not 4x). The context must allow n+1 sequences: see `SEQUENCES` and LlamaEngine."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

# Sequences a context is made for: the greedy one and up to this many - 1 samples.
SEQUENCES = 5


@dataclass(frozen=True)
class Sampling:
    temperature: float = 0.7
    top_k: int = 40
    top_p: float = 0.95
    seed: int = 1


def sample_lines(llm, tokens: list[int], count: int, *, max_tokens: int, sampling: Sampling = Sampling()) -> list[str]:
    """`count` sampled continuations of `tokens`, each up to its first newline (or end of text)."""
    import llama_cpp

    count = min(count, SEQUENCES - 1)
    if count <= 0 or not tokens:
        return []
    _hold_prompt(llm, tokens[:-1])
    ctx, position = llm.ctx, len(tokens) - 1
    memory = llama_cpp.llama_get_memory(ctx)
    vocab = llama_cpp.llama_model_get_vocab(llm.model)
    # Seeds differ from prompt to prompt: with one fixed seed a sequence would draw the same random
    # numbers for every request, so one of them would always take an unlikely first word.
    base = zlib.crc32(repr((sampling.seed, tokens)).encode())
    chains = [_chain(sampling, (base + i) & 0xFFFFFFF) for i in range(count)]
    batch = llama_cpp.llama_batch_init(count, 0, 1)
    texts = [b""] * count
    last = [tokens[-1]] * count
    running = list(range(count))
    try:
        for sequence in range(1, count + 1):
            llama_cpp.llama_memory_seq_cp(memory, 0, sequence, 0, position)
        for step in range(max_tokens):
            if not running:
                break
            _fill(batch, [(last[i], position + step, i + 1) for i in running])
            if llama_cpp.llama_decode(ctx, batch) != 0:
                break  # no room left in the context: what was written so far is the answer
            still = []
            for row, i in enumerate(running):
                token = llama_cpp.llama_sampler_sample(chains[i], ctx, row)
                if llama_cpp.llama_vocab_is_eog(vocab, token):
                    continue
                texts[i] += llm.detokenize([token])
                if b"\n" in texts[i]:
                    continue
                last[i] = token
                still.append(i)
            running = still
    finally:
        for sequence in range(1, count + 1):
            llama_cpp.llama_memory_seq_rm(memory, sequence, -1, -1)
        llama_cpp.llama_batch_free(batch)
        for chain in chains:
            llama_cpp.llama_sampler_free(chain)
    return [text.split(b"\n", 1)[0].decode("utf-8", "replace") for text in texts]


def _hold_prompt(llm, tokens: list[int]) -> None:
    """Make sequence 0 hold exactly `tokens` (the prompt but its last token) in its first cells."""
    cached = list(llm.input_ids[: llm.n_tokens])
    common = 0
    for a, b in zip(cached, tokens):
        if a != b:
            break
        common += 1
    llm.n_tokens = common
    if common < len(tokens):
        llm.eval(tokens[common:])  # removes every cell from `common` on first
    else:
        llm._ctx.kv_cache_seq_rm(-1, common, -1)


def _fill(batch, entries: list[tuple[int, int, int]]) -> None:
    """(token, position, sequence) rows, each asking for its logits."""
    for row, (token, position, sequence) in enumerate(entries):
        batch.token[row] = token
        batch.pos[row] = position
        batch.n_seq_id[row] = 1
        batch.seq_id[row][0] = sequence
        batch.logits[row] = True
    batch.n_tokens = len(entries)


def _chain(sampling: Sampling, seed: int):
    import llama_cpp

    chain = llama_cpp.llama_sampler_chain_init(llama_cpp.llama_sampler_chain_default_params())
    llama_cpp.llama_sampler_chain_add(chain, llama_cpp.llama_sampler_init_top_k(sampling.top_k))
    llama_cpp.llama_sampler_chain_add(chain, llama_cpp.llama_sampler_init_top_p(sampling.top_p, 1))
    llama_cpp.llama_sampler_chain_add(chain, llama_cpp.llama_sampler_init_temp(sampling.temperature))
    llama_cpp.llama_sampler_chain_add(chain, llama_cpp.llama_sampler_init_dist(seed))
    return chain
