"""Commands that talk to other machines, and the files they save."""

from __future__ import annotations

from ..risk import Risk
from .env import Env
from .options import abbreviates, parse_options
from .registry import command_name, handles
from .words import Word
from .writes import note_copy, note_write

_LOCAL_COMMAND_OPTIONS = ("proxycommand", "localcommand", "knownhostscommand", "permitlocalcommand")


def _ssh_options_run_programs(env: Env, name: str, values: list[Word]) -> None:
    for word in values:
        if word.value is None or word.value.lower().replace(" ", "").startswith(_LOCAL_COMMAND_OPTIONS):
            env.add(Risk.UNKNOWN, f"{name} -o {word.text} runs a local command")


@handles("curl")
def curl(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="oXHdTuUeEKAbcrmwxFy",
                         long_with_value=("--output", "--request", "--header", "--data", "--data-binary",
                                          "--upload-file", "--user", "--config", "--url", "--output-dir",
                                          "--data-raw", "--form", "--cookie", "--cookie-jar", "--trace",
                                          "--trace-ascii", "--stderr", "--dump-header", "--libcurl",
                                          "--etag-save", "--hsts", "--alt-svc"))
    env.add(Risk.NETWORK, "curl talks to the network")
    if any("file:" in (w.value or w.text).lower() for w in argv[1:]):
        env.add(Risk.UNKNOWN, "curl with a file: URL reads or writes local files")
    for option in ("--trace", "--trace-ascii", "--stderr", "--dump-header", "--libcurl", "--etag-save", "--hsts",
                   "--alt-svc", "--output-dir"):
        for word in [v for name, values in opts.values.items() if abbreviates(name, option) for v in values]:
            note_write(env, f"curl {option}", word, append=option in ("--hsts", "--alt-svc"))
    for output in opts.values.get("-o", []) + opts.values.get("--output", []):
        if output.value != "-":
            note_write(env, "curl -o", output)
    if opts.has("O", "--remote-name", "--remote-name-all"):
        env.add(Risk.DESTRUCTIVE, "curl -O saves a file named by the server, replacing any with that name")
    for jar in opts.values.get("-c", []) + opts.values.get("--cookie-jar", []):
        note_write(env, "curl -c", jar)
    if opts.value("-K", "--config") is not None:
        env.add(Risk.UNKNOWN, "curl -K reads options from a file nlsh cannot check")


@handles("wget", "wget2")
def wget(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="OoaPiUetTlwQAR",
                         long_with_value=("--output-document", "--output-file", "--directory-prefix",
                                          "--input-file", "--user-agent", "--header", "--tries", "--level",
                                          "--execute"))
    env.add(Risk.NETWORK, "wget downloads from the network")
    document = opts.value("-O", "--output-document")
    if document is not None:
        if document.value != "-":
            note_write(env, "wget -O", document)
    elif not opts.has("", "--spider"):
        recursive = opts.has("rm", "--recursive", "--mirror")
        env.add(Risk.WRITE if recursive else Risk.DESTRUCTIVE,
                "wget -r saves many files" if recursive else
                "wget saves a file named after the URL, replacing any with that name")
    log = opts.value("-o", "--output-file")
    if log is not None:
        note_write(env, "wget -o", log)
    if opts.value("-e", "--execute") is not None:
        env.add(Risk.UNKNOWN, "wget -e runs settings nlsh cannot check")


@handles("ssh", "autossh")
def ssh(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="bcDEeFIiJLlmOoPpQRSWwM", stop_at_operand=True)
    _ssh_options_run_programs(env, "ssh", opts.values.get("-o", []))
    if opts.value("-F") is not None:
        env.add(Risk.UNKNOWN, "ssh -F reads a config file nlsh cannot check (it can run local commands)")
    if not opts.operands:
        return
    host, remote = opts.operands[0], opts.operands[1:]
    env.add(Risk.NETWORK, f"ssh connects to {host.text}")
    if not remote:
        return
    # The remote shell runs the words joined with spaces; judge them as if they ran here, but
    # their paths are on the other machine, so they are no targets for a local snapshot.
    if any(w.value is None for w in remote):
        env.add(Risk.UNKNOWN, f"ssh runs a command built at run time on {host.text}")
        return
    saved = dict(env.findings.targets)
    env.run_text(" ".join(w.value or "" for w in remote))
    env.findings.targets = saved


@handles("scp", "sftp")
def scp(argv: list[Word], env: Env) -> None:
    name = command_name(argv)
    opts = parse_options(argv[1:], with_value="cFiJloPSDX")
    _ssh_options_run_programs(env, name, opts.values.get("-o", []))
    for letter, why in (("S", "runs another program instead of ssh"), ("D", "runs another sftp server program"),
                        ("F", "reads a config file nlsh cannot check (it can run local commands)")):
        if opts.value("-" + letter) is not None:
            env.add(Risk.UNKNOWN, f"{name} -{letter} {why}")
    env.add(Risk.NETWORK, f"{name} copies files over the network")
    if len(opts.operands) >= 2 and not _is_remote(opts.operands[-1]):
        note_copy(env, name, opts.operands[:-1], opts.operands[-1], no_clobber=False)


def _is_remote(word: Word) -> bool:
    text = word.value or word.text
    head = text.split("/", 1)[0]
    return ":" in head


@handles("rsync")
def rsync(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="eBfT", long_with_value=("--rsh", "--exclude", "--include",
                                                                     "--filter", "--rsync-path"))
    shell = opts.value("-e", "--rsh")
    if shell is not None and (shell.value or "").split()[:1] != ["ssh"]:
        env.add(Risk.UNKNOWN, f"rsync -e {shell.text} runs another program")
    if opts.value("--rsync-path") is not None:
        env.add(Risk.UNKNOWN, "rsync --rsync-path runs a program on the other side")
    if any(_is_remote(w) for w in opts.operands):
        env.add(Risk.NETWORK, "rsync copies files over the network")
    if any(name.startswith("--delete") or name.startswith("--remove-source") for name in opts.long):
        env.add(Risk.DESTRUCTIVE, "rsync --delete removes files from the destination")
    if len(opts.operands) >= 2 and not _is_remote(opts.operands[-1]):
        dest = opts.operands[-1]
        exists = env.exists(dest)
        risk = Risk.WRITE if exists is False else Risk.DESTRUCTIVE
        env.add(risk, f"rsync writes into {dest.text}" + ("" if exists is False else ", replacing files"),
                [env.target_of(dest)])


@handles("nc", "ncat", "netcat", "socat")
def netcat(argv: list[Word], env: Env) -> None:
    name = command_name(argv)
    env.add(Risk.NETWORK, f"{name} opens network connections")
    texts = [w.value or "" for w in argv[1:]]
    if any(t in ("-e", "-c", "--exec", "--sh-exec", "--lua-exec") for t in texts) or any(
            t.upper().startswith(("EXEC:", "SYSTEM:")) for t in texts):
        env.add(Risk.UNKNOWN, f"{name} runs a program for whoever connects")
