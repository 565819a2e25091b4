"""Programs that run another command: `sudo -u ann rm x` runs `rm x`. Both the dispatcher (is the
line a command?) and explain (what does each part mean?) look through them to the command inside."""

# wrapper -> how many plain arguments of its own come before the command (timeout's duration)
WRAPPERS = {"sudo": 0, "doas": 0, "env": 0, "nohup": 0, "nice": 0, "time": 0, "xargs": 0, "exec": 0,
            "command": 0, "builtin": 0, "timeout": 1, "watch": 0, "stdbuf": 0, "ionice": 0, "setsid": 0,
            "strace": 0, "ltrace": 0, "flock": 1, "taskset": 1, "chrt": 1, "unbuffer": 0}

# Their options that take a value as the next word (from their manuals; used where a manual is not
# installed, and by the dispatcher, which reads no manuals).
WRAPPER_VALUES = {"sudo": "-u -g -C -D -h -p -r -t -U -T", "doas": "-u -C", "env": "-u -C -S", "nice": "-n",
                  "timeout": "-s -k", "xargs": "-I -n -P -d -a -E -L -s", "ionice": "-c -n -p",
                  "stdbuf": "-i -o -e", "watch": "-n -d", "strace": "-e -o -p -s", "taskset": "-p"}


def takes_value(wrapper: str, option: str) -> bool:
    return option in WRAPPER_VALUES.get(wrapper, "").split()


def inner_command(words: list[str]) -> int:
    """The index in WORDS where the command run by the leading wrappers starts (0 without one;
    len(words) when a wrapper names no command)."""
    i = 0
    while i < len(words) - 1 and words[i] in WRAPPERS:
        wrapper = words[i]
        i += 1
        while i < len(words) and words[i].startswith("-"):
            if words[i] == "--":
                i += 1
                break
            i += 2 if takes_value(wrapper, words[i]) else 1
        while wrapper == "env" and i < len(words) and "=" in words[i]:
            i += 1
        i += WRAPPERS[wrapper]
    return min(i, len(words))
