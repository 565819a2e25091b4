"""Processes, services, packages and machine settings."""

from __future__ import annotations

from dataclasses import dataclass

from ..risk import Risk
from .env import Env
from .options import abbreviates, parse_options
from .registry import command_name, handles
from .words import Word

_HARMLESS_SIGNALS = ("0",)


@handles("kill")
def kill(argv: list[Word], env: Env) -> None:
    args = [w.value for w in argv[1:]]
    if args and args[0] in ("-l", "-L", "--list", "--table"):
        return
    signal = None
    if args and args[0] in ("-s", "-n", "--signal") and len(args) > 1:
        signal, args = args[1], args[2:]
    elif args and args[0] is not None and args[0].startswith("-") and args[0] != "--":
        signal, args = args[0][1:], args[1:]
    if args and args[0] == "--":
        args = args[1:]
    if signal in _HARMLESS_SIGNALS:
        return  # kill -0 only checks that the process exists
    if any(pid in ("-1", "1") for pid in args):
        env.add(Risk.SYSTEM, "kill -1 signals every process you can reach (1 is init)")
    env.add(Risk.DESTRUCTIVE, "kill stops processes")


@handles("pkill", "killall", "skill", "xkill", "slay")
def kill_by_name(argv: list[Word], env: Env) -> None:
    env.add(Risk.DESTRUCTIVE, f"{command_name(argv)} stops processes by name")


@dataclass(frozen=True)
class Subcommands:
    """A tool whose first operand picks what it does (apt install, docker ps, systemctl status)."""

    read: frozenset[str]
    risk: Risk  # for every other subcommand
    says: str  # "{name} {sub} " + says
    network: frozenset[str] = frozenset()
    with_value: str = ""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PACKAGES = "downloads and runs third-party code and changes installed software"
TOOLS = {
    **dict.fromkeys(("apt", "apt-get", "aptitude", "dnf", "yum", "zypper", "apk", "snap", "flatpak", "brew",
                     "port", "pkg", "nix-env", "emerge", "apt-cache"),
                    Subcommands(_words("list search show info policy depends rdepends madison showpkg "
                                       "stats provides whatprovides leaves deps desc home --version help"),
                                Risk.SYSTEM, _PACKAGES)),
    **dict.fromkeys(("pip", "pip3", "pipx", "conda", "mamba", "gem", "uv"),
                    Subcommands(_words("list show freeze check --version -V help config debug inspect "
                                       "info search env"), Risk.SYSTEM, _PACKAGES)),
    **dict.fromkeys(("npm", "pnpm", "yarn", "bun"),
                    Subcommands(_words("ls list view info outdated --version -v help config root bin why "
                                       "explain"), Risk.UNKNOWN, "runs or installs project code",
                                network=_words("search ping whoami"))),
    **dict.fromkeys(("cargo", "go"),
                    Subcommands(_words("version --version help env list"), Risk.UNKNOWN,
                                "builds or runs code (build scripts run too)")),
    **dict.fromkeys(("docker", "podman", "nerdctl"),
                    Subcommands(_words("ps images logs inspect info version stats top port diff history "
                                       "events search"), Risk.UNKNOWN, "changes or runs containers",
                                network=_words("pull push login"))),
    **dict.fromkeys(("systemctl",),
                    Subcommands(_words("status show cat list-units list-unit-files list-timers list-sockets "
                                       "list-dependencies list-jobs list-machines is-active is-enabled is-failed "
                                       "is-system-running get-default help --version"),
                                Risk.SYSTEM, "changes system services")),
    **dict.fromkeys(("kubectl", "oc"),
                    Subcommands(_words("version"), Risk.UNKNOWN, "acts on a cluster",
                                network=_words("get describe logs top explain api-resources cluster-info"),
                                with_value="nlo")),
}


# Options the package tools take anywhere on the line that write files or load settings.
_WRITER_OPTIONS = ("--log", "--log-file", "--cache-dir", "--cache", "--target", "--prefix", "--userconfig",
                   "--globalconfig", "--src", "--root", "--config-file", "--report", "--exists-action")

# `pip config list` reads; `pip config edit` runs an editor and `npm config set` changes settings.
_SETTINGS = frozenset({"config"})
_SETTINGS_READ = frozenset("list ls get debug".split())


def _settings(env: Env, name: str, rest: list[Word], table: Subcommands) -> None:
    action = rest[0].value if rest else "list"
    if action not in _SETTINGS_READ:
        env.add(Risk.UNKNOWN, f"{name} config {rest[0].text} changes settings or runs an editor")


@handles(*TOOLS)
def subcommand_tool(argv: list[Word], env: Env) -> None:
    name = command_name(argv)
    table = TOOLS[name]
    opts = parse_options(argv[1:], with_value=table.with_value, stop_at_operand=True)
    sub = opts.operands[0].value if opts.operands else None
    # Options before the subcommand can take the next word as their value and shift which word is
    # the subcommand (npm --cache ls exec ...): only the known harmless ones keep the allow-list.
    stray = (opts.short - set("Vvh" + table.with_value)) | (opts.long - {"--version", "--help"}) | \
        {v for v in opts.values if v.startswith("--")}
    writers = [w.value for w in argv[1:] if w.value and any(abbreviates(w.value.split("=")[0], o) for o in _WRITER_OPTIONS)]
    if writers:
        env.add(table.risk, f"{name} {writers[0]} writes files or reads settings that run programs")
    elif sub is not None and stray:
        env.add(table.risk, f"{name} {sorted(stray)[0]} before the subcommand: nlsh cannot tell which word is "
                            f"the subcommand ({table.says})")
    elif sub in _SETTINGS and sub not in table.network:
        _settings(env, name, opts.operands[1:], table)
    elif sub is None and opts.operands:
        env.add(Risk.UNKNOWN, f"{name} gets a subcommand chosen at run time")
    elif sub is None:
        if opts.long - {"--version", "--help"} or opts.short - set("Vvh"):
            env.add(table.risk, f"{name} {' '.join(w.text for w in argv[1:])} {table.says}")
    elif sub in table.network:
        env.add(Risk.NETWORK, f"{name} {sub} talks to the network")
    elif sub not in table.read:
        env.add(table.risk, f"{name} {sub} {table.says}")


@handles("service")
def service(argv: list[Word], env: Env) -> None:
    action = argv[2].value if len(argv) > 2 else None
    if not (len(argv) == 2 and argv[1].value in ("--status-all", "--help")) and action != "status":
        env.add(Risk.SYSTEM, "service starts, stops or changes system services")


@handles("journalctl")
def journalctl(argv: list[Word], env: Env) -> None:
    changing = ("--vacuum", "--rotate", "--flush", "--relinquish-var", "--sync", "--setup-keys")
    if any((w.value or "").startswith(changing) for w in argv[1:]):
        env.add(Risk.SYSTEM, "journalctl changes the system journal")


@handles("crontab")
def crontab(argv: list[Word], env: Env) -> None:
    if [w.value for w in argv[1:] if w.value not in ("-u",)][:1] != ["-l"]:
        env.add(Risk.SYSTEM, "crontab changes commands scheduled to run later")


@handles("pacman", "yay", "paru")
def pacman(argv: list[Word], env: Env) -> None:
    first = next((w.value or "" for w in argv[1:] if (w.value or "").startswith("-")), "")
    if not (first.startswith(("-Q", "-F", "--query", "-h", "-V")) or first in ("-Ss", "-Si", "-Sl")):
        env.add(Risk.SYSTEM, f"{command_name(argv)} {_PACKAGES}")


@handles("dpkg", "rpm")
def dpkg(argv: list[Word], env: Env) -> None:
    reading = ("-l", "-L", "-s", "-S", "-q", "--list", "--listfiles", "--status", "--search", "--query",
               "--version", "--help", "--get-selections", "--print-architecture")
    first = argv[1].value if len(argv) > 1 else None
    if first is None or not (first.startswith(reading) or first.startswith("-q")):
        env.add(Risk.SYSTEM, f"{command_name(argv)} installs or removes packages")


@handles("mount")
def mount(argv: list[Word], env: Env) -> None:
    if len(argv) > 1 and not all((w.value or "") in ("-l", "--show-labels") for w in argv[1:]):
        env.add(Risk.SYSTEM, "mount changes mounted file systems")


@handles("date")
def date(argv: list[Word], env: Env) -> None:
    opts = parse_options(argv[1:], with_value="dfrI", long_with_value=("--date", "--file", "--reference"))
    setting = opts.has("s", "--set") or "-s" in opts.values or any(
        not (w.value or "+").startswith("+") for w in opts.operands)
    if setting:
        env.add(Risk.SYSTEM, "date sets the system clock")


@handles("hostname", "hostnamectl", "timedatectl", "localectl", "hwclock", "sysctl", "dmesg", "ip",
         "ifconfig", "route")
def machine_setting(argv: list[Word], env: Env) -> None:
    """Read-only when only looking; SYSTEM once an argument sets something."""
    name = command_name(argv)
    words = [w.value or "" for w in argv[1:]]
    setters = {
        "hostname": lambda: any(not w.startswith("-") for w in words),
        "hostnamectl": lambda: bool(words) and words[0].startswith("set"),
        "timedatectl": lambda: bool(words) and words[0].startswith("set"),
        "localectl": lambda: bool(words) and words[0].startswith("set"),
        "hwclock": lambda: any(w in ("-w", "-s", "--set", "--systohc", "--hctosys", "-a", "--adjust")
                               for w in words),
        "sysctl": lambda: any(w in ("-w", "--write", "-p", "--load", "--system") or "=" in w for w in words),
        "dmesg": lambda: any(w in ("-c", "-C", "--clear", "--read-clear", "-n", "--console-level", "-D", "-E")
                             for w in words),
        "ip": lambda: any(w in ("add", "del", "delete", "change", "replace", "set", "flush", "append", "up",
                                "down", "exec") for w in words),
        "ifconfig": lambda: len([w for w in words if not w.startswith("-")]) > 1,
        "route": lambda: any(w in ("add", "del", "delete", "flush", "change") for w in words),
    }
    if any(w.value is None for w in argv[1:]) or setters[name]():
        env.add(Risk.SYSTEM, f"{name} changes machine settings")
