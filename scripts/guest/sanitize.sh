#!/bin/bash
# shellcheck disable=SC2016 # awk programs in single quotes
# Sanitize: the last step before capture. Removes what must not ship in a KooGallery image
# (keys, password hashes, histories, instance state, logs) and finally the build's own files.
#   sanitize.sh [--root DIR]
# With --root every path is under DIR and nothing runs against the host (no cloud-init, apt,
# journalctl): tests use it on an unpacked tree. Without it, it cleans the running system.
set -u
R=/
while [ $# -gt 0 ]; do
  case "$1" in
    --root) R=${2:?--root needs a directory}; shift 2 ;;
    *) echo "usage: sanitize.sh [--root DIR]" >&2; exit 2 ;;
  esac
done
R=${R%/}
[ -z "$R" ] || [ "$(cd "$R" 2>/dev/null && pwd -P)" != / ] || R=""
[ -f "$R/etc/passwd" ] || { echo "sanitize: no etc/passwd under ${R:-/}" >&2; exit 2; }
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# What it creates (an absent /etc/machine-id) must be world-readable; the runner's umask is 077.
umask 022
live() { [ -z "$R" ]; }
note() { echo "sanitize: $*"; }
# Rewrites a file in place (keeps owner and mode) with the output of a command reading it.
# The temporary file sits next to it: with --root nothing is written outside the tree.
rewrite() { local f=$1 t; shift; t=$(mktemp "$f.XXXXXX") && "$@" <"$f" >"$t" && cat "$t" >"$f"; rm -f "$t"; }

HOMES=$( { echo /root; for d in "$R"/home/*/; do [ -d "$d" ] && echo "${d#"$R"}"; done
  awk -F: '{print $6}' "$R/etc/passwd"; } | grep -Ev '^(/|/nonexistent|/dev|/proc|/sys|/run.*|/bin|/sbin|/usr/s?bin|/usr/games)/?$' | sort -u)

# Passwords: any hash (also a locked "!hash") becomes "!"; cloud-init sets the buyer's at first boot.
rewrite "$R/etc/shadow" awk -F: -v OFS=: '$2 !~ /^(\*|!+|!\*|\*LK\*)$/ {$2="!"} {print}'
rewrite "$R/etc/passwd" awk -F: -v OFS=: '$2 !~ /^(x|\*|!+)$/ {$2="x"} {print}'
[ -f "$R/etc/gshadow" ] && rewrite "$R/etc/gshadow" awk -F: -v OFS=: '$2 !~ /^(|\*|!+|!\*)$/ {$2="!"} {print}'
# Backups hold the same hashes: shadow- etc., and Debian/Ubuntu's cron.daily copies in /var/backups.
rm -f "$R"/etc/shadow- "$R"/etc/gshadow- "$R"/etc/passwd- "$R"/etc/group- \
  "$R"/var/backups/shadow.bak "$R"/var/backups/gshadow.bak "$R"/var/backups/passwd.bak "$R"/var/backups/group.bak
note "passwords locked"

for h in $HOMES; do
  [ -d "$R$h" ] || continue
  rm -f "$R$h"/.ssh/authorized_keys "$R$h"/.ssh/authorized_keys2
  find "$R$h" -maxdepth 1 -type f \( -name '.*_history' -o -name .history -o -name .lesshst -o -name .viminfo \) -delete
  # Private keys and stored credentials of the build (same rules as selfcheck.sh).
  find "$R$h" -maxdepth 4 -type f -size -256k -print0 2>/dev/null | xargs -0r grep -lsZE -e '-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----' | xargs -0r rm -f
  find "$R$h" -maxdepth 3 -type f \( -path '*/.aws/credentials' -o -path '*/.git-credentials' -o -name .netrc \
    -o -name .pgpass -o -path '*/.hcloud/config.json' -o -path '*/.kube/config' -o -path '*/.docker/config.json' \
    -o -path '*/.config/gcloud/credentials.db' \) -delete 2>/dev/null
done
rm -f "$R"/etc/ssh/ssh_host_*key* "$R"/etc/ssh/authorized_keys*
note "keys, credentials and histories removed"

# cloud-init: forget this instance so the buyer's first boot runs it again (user_data included).
live && command -v cloud-init >/dev/null && cloud-init clean --logs --seed
rm -rf "$R"/var/lib/cloud/* 2>/dev/null; rm -f "$R"/var/log/cloud-init*.log
# Network configuration cloud-init generated (it carries the builder's MAC); regenerated at first
# boot unless cloud-init networking is disabled, in which case the image's own config stays.
if ! grep -qsE 'config:[[:space:]]*disabled' "$R"/etc/cloud/cloud.cfg "$R"/etc/cloud/cloud.cfg.d/*.cfg; then
  rm -f "$R"/etc/netplan/50-cloud-init.yaml "$R"/etc/network/interfaces.d/50-cloud-init* \
    "$R"/etc/NetworkManager/system-connections/cloud-init-*
  grep -ls 'cloud-init' "$R"/etc/sysconfig/network-scripts/ifcfg-* 2>/dev/null | grep -v 'ifcfg-lo$' | xargs -r rm -f
fi
rm -f "$R"/etc/udev/rules.d/*persistent-net*
note "cloud-init state and generated network configuration removed"

find "$R"/var/lib/dhcp "$R"/var/lib/dhclient "$R"/var/lib/NetworkManager -maxdepth 1 -type f -name '*lease*' -delete 2>/dev/null
[ -e "$R/etc/machine-id" ] || [ -L "$R/etc/machine-id" ] || touch "$R/etc/machine-id"
: >"$R/etc/machine-id"
[ -f "$R/var/lib/dbus/machine-id" ] && [ ! -L "$R/var/lib/dbus/machine-id" ] && rm -f "$R/var/lib/dbus/machine-id"
rm -f "$R"/var/lib/systemd/random-seed
note "DHCP leases, machine-id and random seed cleared"

# Package caches (archives only: the lists stay so the self-check can see pending updates).
if live; then
  command -v apt-get >/dev/null && apt-get clean
  command -v dnf >/dev/null && dnf clean packages >/dev/null
  command -v yum >/dev/null && ! command -v dnf >/dev/null && yum clean packages >/dev/null
  command -v journalctl >/dev/null && { journalctl --rotate; journalctl --vacuum-time=1s; } >/dev/null 2>&1
fi
rm -f "$R"/var/cache/apt/archives/*.deb "$R"/var/cache/apt/archives/partial/* "$R"/var/cache/apt/*.bin
find "$R"/var/cache/dnf "$R"/var/cache/yum -type f -name '*.rpm' -delete 2>/dev/null
find "$R"/tmp "$R"/var/tmp -mindepth 1 -maxdepth 1 -exec rm -rf {} + 2>/dev/null
# Logs: rotated ones go, current ones are emptied (services expect the files to exist).
find "$R"/var/log -type f \( -name '*.gz' -o -name '*.xz' -o -name '*.[0-9]' -o -name '*.old' \) -delete 2>/dev/null
find "$R"/var/log/journal -mindepth 1 -delete 2>/dev/null
find "$R"/var/log -type f -exec truncate -s 0 {} + 2>/dev/null
note "caches, temporary files and logs cleared"

# Last: the build's own files (plan, step scripts, logs). The runner runs from its copy.
rm -rf "$R/var/lib/image-factory"
note "build files removed"
exit 0
