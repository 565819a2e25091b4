"""Which paths are special: devices, startup files, system directories."""

from __future__ import annotations

from pathlib import Path

HARMLESS_DEVICES = ("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/stdin", "/dev/tty", "/dev/zero")

# Files that run code at login or decide who may log in: writing them persists across sessions.
_HOME_STARTUP = (
    ".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc", ".zshenv",
    ".zprofile", ".zlogin", ".zlogout", ".kshrc", ".cshrc", ".tcshrc", ".login", ".inputrc",
    ".xinitrc", ".xprofile", ".xsession", ".pam_environment", ".gitconfig", ".netrc",
)
_HOME_DIRS = (
    ".ssh", ".gnupg", ".config/autostart", ".config/systemd", ".config/fish", ".config/git",
    ".local/bin", ".aws", ".kube", ".docker",
)
_SYSTEM_DIRS = (
    "/etc", "/boot", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/usr", "/opt", "/root", "/sys",
    "/proc", "/var/spool/cron", "/var/lib", "/srv",
)
# Deleting any of these recursively takes the machine (or the person's data) with it.
_TOP_LEVEL = ("/", "/home", "/var", "/dev", "/mnt", "/media", "/Users") + _SYSTEM_DIRS


def device_kind(path: str) -> str | None:
    """'harmless', 'network' (/dev/tcp, /dev/udp), 'device' (disks, ...) or None for files."""
    if path in HARMLESS_DEVICES or path.startswith("/dev/fd/"):
        return "harmless"
    if path.startswith(("/dev/tcp/", "/dev/udp/")):
        return "network"
    if path.startswith("/dev/"):
        return "device"
    return None


def _under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def sensitive_reason(path: Path | None, home: Path) -> str | None:
    """Why writing `path` (absolute) is machine-wide or persistent, or None if it is not."""
    if path is None:
        return None
    for name in _HOME_STARTUP:
        if path == home / name:
            return f"{name} runs or configures every new session"
    for name in _HOME_DIRS:
        if _under(path, home / name):
            return f"~/{name} holds keys, credentials or startup programs"
    if _under(path, home):
        return None  # a home under /root or /srv is still the person's own
    for root in _SYSTEM_DIRS:
        if _under(path, Path(root)):
            return f"{root} belongs to the system"
    return None


def is_critical_tree(path: Path | None, home: Path) -> bool:
    """True for /, the home directory and top-level system directories."""
    if path is None:
        return False
    return path == home or path == home.parent or str(path) in _TOP_LEVEL
