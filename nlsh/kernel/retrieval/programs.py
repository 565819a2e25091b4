"""Which examples may be shown for a request: those of the everyday programs (files, text, processes,
archives, the system), and of any other program only when the request names it. tldr has pages for
thousands of tools; an example of `docker` or `aws` beside a request about files is noise, and a small
model copies noise as readily as help."""

from __future__ import annotations

import re

EVERYDAY = frozenset("""
awk basename bash bc cat chgrp chmod chown cmp column comm cp crontab csplit curl cut date dd df diff
dig dirname du echo egrep env expand expr fgrep file find fmt fold free getconf grep groups gunzip gzip
head hexdump host hostname id ip join kill killall last less ln locate ls lsblk lsof md5sum mkdir
mktemp more mount mv nc netstat nl nohup nproc numfmt od paste pgrep pidof ping pkill pr printenv
printf ps pstree pwd readlink realpath rename rev rm rmdir rsync sed seq sh sha1sum sha256sum shuf
sleep sort split ss stat strings sum tac tail tar tee test timeout top touch tr tree truncate tty
uname unexpand uniq unzip uptime users vmstat w watch wc wget whereis which who whoami xargs xxd
zcat zgrep zip bzip2 xz unxz bunzip2 cksum base64 iconv jq lscpu lsusb lspci dmesg journalctl
systemctl ulimit umask cd export alias type command history jobs wait trap read set unset source
sha512sum b2sum tsort factor yes true false nice renice time mapfile declare local let eval exec
""".split())


def may_show(program: str, request: str) -> bool:
    if program in EVERYDAY:
        return True
    return re.search(rf"(?<![\w-]){re.escape(program)}(?![\w-])", request, re.IGNORECASE) is not None
