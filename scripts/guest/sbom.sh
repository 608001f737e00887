#!/bin/bash
# Package inventory for the SBOM (scripts/sbom/sbom.ts renders it as CycloneDX on the host).
# Prints TSV: first `os ID VERSION_ID`, then `deb|rpm name version arch source licence` per package.
# Debian licences: the first DEP-5 `License:` line of /usr/share/doc/<pkg>/copyright, if any.
# Usage: sbom.sh [--root DIR]  (DIR: inspect that tree with chroot, as the rootfs tests do)
set -u
R=""
[ "${1:-}" = --root ] && R="$2"
q() { if [ -n "$R" ]; then chroot "$R" "$@"; else "$@"; fi; }
# shellcheck disable=SC1091
os=$(. "$R/etc/os-release" 2>/dev/null; printf '%s\t%s' "${ID:-linux}" "${VERSION_ID:-}")
printf 'os\t%s\n' "$os"
if q dpkg-query --version >/dev/null 2>&1; then
  # shellcheck disable=SC2016
  q dpkg-query -W -f '${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\t${source:Package}\n' |
    while IFS=$'\t' read -r st n v a s; do
      case "$st" in i*) ;; *) continue ;; esac
      l=$(grep -m1 '^License:' "$R/usr/share/doc/$n/copyright" 2>/dev/null | cut -c9- | tr -d '\t\r')
      printf 'deb\t%s\t%s\t%s\t%s\t%s\n' "$n" "$v" "$a" "$s" "${l# }"
    done
elif q rpm --version >/dev/null 2>&1; then
  q rpm -qa --qf 'rpm\t%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\t%{LICENSE}\n' | grep -v '^rpm	gpg-pubkey	'
else
  echo "sbom: neither dpkg-query nor rpm found" >&2; exit 1
fi
