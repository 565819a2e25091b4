"""The embedded local model: a GGUF file run by llama-cpp-python, planning in the "shell" profile.

The model writes one bash command line; nlsh wraps it in the plan JSON itself. Decoding on that path
is plain text stopped at the first newline: the reply is a newline-free command by construction and
json.dumps escapes it, so the plan is always valid, and it is faster than the GBNF grammar (which
llama.cpp checks against the whole 150k-token vocabulary each step): measured with
tools/bench_model.py on 2 cores, Qwen2.5-Coder-1.5B, median warm request 1.27 s plain vs 2.12 s with
the grammar. The grammar (forced frame + command string) is the fallback when the first line is
empty or a code fence, and `decoding="grammar"` selects it always. Prompts that carry the full tool
table are always decoded under a grammar built from it (plans valid 10/10 vs 9/10 without)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from pathlib import Path
from typing import Callable

from nlsh import paths
from nlsh.models.answer_cache import AnswerCache
from nlsh.models.base import ModelError, Prompt
from nlsh.models.catalog import KnownModel
from nlsh.models.chat_format import ChatText, format_chat
from nlsh.models.fit import fit_messages
from nlsh.models.grammar import (
    SHELL_CLOSE,
    SHELL_FRAME,
    close_truncated,
    command_string_grammar,
    plan_grammar,
)
from nlsh.models.repack import DEFAULT as DEFAULT_REPACK
from nlsh.models.repack import check_setting, use_repacking

DECODINGS = ("plain", "grammar")
_MARGIN = 8  # tokens kept free beside the reply, for the forced frame and chat markers


def shell_plan(command: str) -> str:
    return json.dumps({"steps": [{"tool": "shell", "args": {"command": command}}]}, ensure_ascii=False)


def _clean_command(text: str) -> str:
    """The command on the model's first line ('' when that line is a code fence or empty)."""
    line = text.strip()
    if line.startswith("```"):
        return ""
    line = line.strip("`").strip()
    if line.startswith("$ "):
        line = line[2:]
    return line.strip()


class LocalModel:
    tool_profile = "shell"

    def __init__(self, path: Path, *, known: KnownModel | None = None, name: str | None = None,
                 n_ctx: int = 4096, n_threads: int | None = None, decoding: str = "plain",
                 answer_cache: bool = True, kv_cache: bool = True, repack: str = DEFAULT_REPACK):
        if decoding not in DECODINGS:
            raise ValueError(f"decoding must be one of {DECODINGS}")
        self.path = Path(path)
        self.name = name or (known.name if known else self.path.name)
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.decoding = decoding
        self.repack = check_setting(repack)
        self.identity = known.sha256 if known else self._file_identity(self.path)
        cache_root = self.cache_root = paths.cache_dir()
        self.kv_dir = cache_root / "kv" if kv_cache else None
        self.answers = AnswerCache(cache_root / "answers" / self.identity[:16] if answer_cache else None)
        self.use_answer_cache = answer_cache
        self.calls = 0  # times the model itself ran (cache hits do not count)
        self.last_prefix_source = ""  # 'memory' | 'disk' | 'computed', for the bench and tests
        self.on_text: Callable[[str], None] | None = None  # sees each piece of text as it is written
        self.notify: Callable[[str], None] | None = _to_stderr  # one-line notices (the CPU probe)
        self._prefix_len = 0
        self._engine = None

    @staticmethod
    def _file_identity(path: Path) -> str:
        st = path.stat()
        return hashlib.sha256(f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()

    @property
    def engine(self):
        if self._engine is None:
            from nlsh.models.llama_engine import LlamaEngine, default_threads, require_llama_cpp

            require_llama_cpp()
            threads = self.n_threads or default_threads()
            repack = use_repacking(self.path, self.identity, self.repack, threads,
                                   cache_dir=self.cache_root, notify=self.notify)
            self._engine = LlamaEngine(self.path, self.identity, n_ctx=self.n_ctx,
                                       n_threads=threads, kv_dir=self.kv_dir, repack=repack)
        return self._engine

    # --- the Model interface ----------------------------------------------------------------------
    def complete(self, prompt: Prompt) -> str:
        key = self._answer_key(prompt)
        if self.use_answer_cache:
            cached = self.answers.get(key)
            if cached is not None:
                return cached
        reply = self._run(prompt)
        if self.use_answer_cache:
            self.answers.put(key, reply)  # only a finished reply is ever stored
        return reply

    def _answer_key(self, prompt: Prompt) -> str:
        tools = [t.name for t in prompt.tools]
        blob = json.dumps([self.identity, self.decoding, prompt.key(), prompt.max_tokens, tools])
        return hashlib.sha256(blob.encode()).hexdigest()

    def alternatives(self, prompt: Prompt, count: int) -> list[str]:
        """`count` sampled commands for a shell-profile prompt, besides the greedy reply (for
        kernel/select.py); [] for a prompt that carries the full tool table."""
        if self._mode(prompt) == "plan" or count <= 0:
            return []
        self.calls += 1
        with self._interruptible():
            tokens, max_tokens = self._primed(prompt, "")
            lines = self.engine.sample_lines(tokens, count, max_tokens=max_tokens)
        return [command for command in map(_clean_command, lines) if command]

    # --- one model run -------------------------------------------------------------------------------
    def _mode(self, prompt: Prompt) -> str:
        if any(t.name != "shell" for t in prompt.tools):
            return "plan"  # the full tool table: only a grammar keeps a small model's plan valid
        return self.decoding

    def _chat(self, system: str, messages: list[dict[str, str]]) -> ChatText:
        engine = self.engine
        bos = engine.token_text(engine.llm.token_bos()) if engine.llm.token_bos() >= 0 else ""
        eos = engine.token_text(engine.llm.token_eos()) if engine.llm.token_eos() >= 0 else ""
        return format_chat(engine.metadata("tokenizer.chat_template"), bos, eos, system, messages)

    def _tokens(self, prompt: Prompt, forced: str) -> tuple[list[int], list[int], int]:
        """(prefix tokens, whole prompt tokens, max reply tokens), trimmed to fit the context."""
        engine = self.engine
        max_tokens = max(16, min(prompt.max_tokens, self.n_ctx // 4))
        room = self.n_ctx - max_tokens - _MARGIN

        def encode(system: str, messages: list[dict[str, str]]) -> tuple[list[int], list[int]]:
            chat = self._chat(system, messages)
            return engine.tokenize(chat.prefix, bos=True), engine.tokenize(chat.rest + forced, bos=False)

        system = prompt.system
        prefix, _ = encode(system, [])
        if len(prefix) > room // 2:  # a system prompt that alone fills the window: keep its start
            system = engine.llm.detokenize(prefix[: room // 2]).decode("utf-8", "ignore")
        messages = fit_messages(prompt.messages, lambda m: sum(map(len, encode(system, m))), room)
        prefix, rest = encode(system, messages)
        return prefix, prefix + rest, max_tokens

    def _primed(self, prompt: Prompt, forced: str) -> tuple[list[int], int]:
        """(whole prompt tokens, max reply tokens), with the fixed prefix's state in the context."""
        prefix, tokens, max_tokens = self._tokens(prompt, forced)
        self._prefix_len = len(prefix)
        self.last_prefix_source = self.engine.prime(prefix)
        return tokens, max_tokens

    @contextlib.contextmanager
    def _interruptible(self):
        """Ctrl-C while the model writes: the prefix's KV entries are intact; whatever came after
        it is forgotten."""
        self._prefix_len = 0
        try:
            yield
        except KeyboardInterrupt:
            self.engine.forget_after(self._prefix_len)
            raise

    def _generate(self, prompt: Prompt, forced: str, **options) -> str:
        tokens, max_tokens = self._primed(prompt, forced)
        return self.engine.generate(tokens, max_tokens=max_tokens, on_text=self.on_text, **options)

    def _run(self, prompt: Prompt) -> str:
        mode = self._mode(prompt)
        self.calls += 1
        with self._interruptible():
            if mode == "plan":
                return close_truncated(self._generate(prompt, "", grammar=plan_grammar(prompt.tools)).strip())
            if mode == "plain":
                command = _clean_command(self._generate(prompt, "", stop=["\n"]))
                if command:
                    return shell_plan(command)
                # A blank first line or a code fence: ask again with the frame forced.
            text = self._generate(prompt, SHELL_FRAME, grammar=command_string_grammar())
            command = _decode_json_string(text.removesuffix(SHELL_CLOSE)).strip()
            if not command:
                raise ModelError(f"{self.name} wrote no command")
            return shell_plan(command)


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _decode_json_string(body: str) -> str:
    """The command from the JSON string body the grammar let the model write. A reply cut off by
    max_tokens may end inside an escape; drop characters until it decodes."""
    for end in range(len(body), -1, -1):
        try:
            return json.loads('"' + body[:end] + '"')
        except json.JSONDecodeError:
            continue
    return ""


def load_local(name_or_path: str, **options) -> LocalModel:
    """A known model name (assembled on first use) or a path to a .gguf file. Raises ModelError
    with a message saying how to get the model when it is missing or damaged."""
    from nlsh.models.gguf_store import model_file

    path, known = model_file(name_or_path)
    accepted = {k: v for k, v in options.items()
                if k in ("n_ctx", "n_threads", "decoding", "answer_cache", "kv_cache", "repack")}
    try:
        return LocalModel(path, known=known, **accepted)
    except ValueError as exc:  # a per-model option in the config file that makes no sense
        raise ModelError(f"{name_or_path}: {exc}") from None
