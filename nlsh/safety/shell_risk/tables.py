"""Commands whose class does not depend on their arguments."""

from __future__ import annotations

# Look, print, compute: they change nothing (their output may be redirected, which is checked apart).
READ_COMMANDS = frozenset("""
ls dir vdir exa eza lsd tree cat tac less more most head tail wc nl fold fmt pr expand unexpand rev
cut tr paste join comm column grep egrep fgrep rg ag ack zcat zgrep zless bzcat xzcat zstdcat bat batcat
du df free uptime ps pgrep pidof pstree top htop lsof ss netstat who w whoami id groups last lastlog
uname arch nproc lscpu lsblk blkid lsusb lspci lsmod findmnt lsns vmstat iostat mpstat sar sensors
date cal ncal echo printf pwd cd pushd popd dirs true false : test [ stat file which whereis type
whatis apropos man info help realpath readlink basename dirname printenv locale tty getconf getent
cksum md5sum sha1sum sha224sum sha256sum sha384sum sha512sum b2sum base32 base64 od hexdump strings
diff cmp colordiff jq yq seq expr bc factor numfmt sleep yes wait jobs fg bg disown umask ulimit
read mapfile readarray shopt set hash compgen complete history clear tput locate plocate mlocate
fd fdfind fzf nm objdump readelf fc-list unalias let shift return break continue
exit logout getopts caller times printenv nvidia-smi tload
""".split())

# Talk to other machines; the network is their whole purpose.
NETWORK_COMMANDS = frozenset("""
dig nslookup host ping ping6 traceroute traceroute6 tracepath mtr whois nmap telnet ftp sftp lftp
mosh http https xh aria2c ldapsearch ncftp
""".split())

# Machine-wide or privileged whatever their arguments; value: why.
SYSTEM_COMMANDS = {
    **dict.fromkeys("mkfs mke2fs mkfs.ext4 mkfs.ext3 mkfs.ext2 mkfs.xfs mkfs.btrfs mkfs.vfat mkfs.fat "
                    "mkfs.ntfs mkfs.exfat mkswap wipefs".split(), "formats a disk or partition"),
    **dict.fromkeys("fdisk sfdisk cfdisk parted gdisk sgdisk partprobe".split(), "changes disk partitions"),
    **dict.fromkeys("blkdiscard hdparm losetup cryptsetup mdadm dmsetup lvcreate lvremove lvresize "
                    "vgcreate vgremove pvcreate pvremove".split(), "changes block devices"),
    **dict.fromkeys("swapon swapoff umount".split(), "changes mounted file systems"),
    **dict.fromkeys("reboot shutdown poweroff halt init telinit".split(), "stops or restarts the machine"),
    **dict.fromkeys("insmod rmmod modprobe depmod".split(), "changes kernel modules"),
    **dict.fromkeys("useradd userdel usermod groupadd groupdel groupmod passwd chpasswd chsh chfn "
                    "visudo vipw".split(), "changes user accounts"),
    **dict.fromkeys("iptables ip6tables nft ufw firewall-cmd".split(), "changes the firewall"),
    **dict.fromkeys("update-grub grub-install grub-mkconfig efibootmgr".split(), "changes the boot loader"),
    **dict.fromkeys("chroot unshare nsenter systemd-run setenforce ldconfig launchctl".split(),
                    "changes how the system runs programs"),
    **dict.fromkeys("at batch".split(), "schedules commands to run later"),
    **dict.fromkeys("killall5".split(), "signals every process"),
    **dict.fromkeys("sudo doas pkexec su run0 sudoedit".split(), "runs commands as another user (root)"),
}

# Shells whose -c argument is bash-compatible enough to parse.
SHELLS = frozenset("sh bash dash zsh ksh mksh ash busybox-sh rbash".split())
# Run code written in another language, or a shell that nlsh cannot parse.
INTERPRETERS = frozenset("""
python python2 python3 pypy pypy3 perl ruby node nodejs deno bun php lua luajit Rscript tclsh wish
osascript pwsh powershell fish csh tcsh expect awk-script irb guile racket julia
""".split())

# Directories whose programs are the standard ones: /usr/bin/rm is rm, /tmp/rm is not.
TRUSTED_BIN_DIRS = frozenset("/bin /usr/bin /sbin /usr/sbin /usr/local/bin /usr/local/sbin".split())
