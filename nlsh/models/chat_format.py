"""Turn a Prompt into the model's chat text, split so the part that depends only on the system
prompt comes first: that part is byte-identical across calls, so its KV state can be reused."""

from __future__ import annotations

from dataclasses import dataclass

CHATML_MARK = "<|im_start|>"


@dataclass(frozen=True)
class ChatText:
    prefix: str  # depends only on the system prompt
    rest: str  # the messages and the start of the assistant's turn


def chatml(system: str, messages: list[dict[str, str]]) -> ChatText:
    prefix = f"<|im_start|>system\n{system}<|im_end|>\n"
    turns = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return ChatText(prefix, turns + "<|im_start|>assistant\n")


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return a[:n]


def from_template(template: str, bos: str, eos: str, system: str,
                  messages: list[dict[str, str]]) -> ChatText:
    """Any other chat template (Jinja, from the GGUF's metadata). The reusable prefix is what two
    renders with different requests have in common, provided the real render starts with it."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    formatter = Jinja2ChatFormatter(template, eos_token=eos, bos_token=bos, add_generation_prompt=True)

    def render(msgs: list[dict[str, str]]) -> str:
        text = formatter(messages=[{"role": "system", "content": system}, *msgs]).prompt
        return text[len(bos):] if bos and text.startswith(bos) else text  # the tokenizer adds BOS

    full = render(messages)
    probe = _common_prefix(render([{"role": "user", "content": "\x01"}]),
                           render([{"role": "user", "content": "\x02"}]))
    prefix = probe if full.startswith(probe) else ""
    return ChatText(prefix, full[len(prefix):])


def format_chat(template: str | None, bos: str, eos: str, system: str,
                messages: list[dict[str, str]]) -> ChatText:
    if not template or CHATML_MARK in template:
        return chatml(system, messages)
    return from_template(template, bos, eos, system, messages)
