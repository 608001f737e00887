#!/bin/bash
# Builds the Debian 12 root filesystem used by the guest tier (rootfs and boot tests):
# a minbase system with a kernel, cloud-init and what the self-check inspects, updated from
# bookworm-security like a fresh public image. Output: <out>/rootfs, <out>/.complete.
# The cache key is a hash of this file, so changing the package list rebuilds.
set -euo pipefail
out="${1:?usage: build-rootfs.sh <output dir>}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
# python3-cffi-backend: cloud-init needs it but minbase does not pull it (cloud-init stays unconfigured).
pkgs=systemd-sysv,udev,dbus,kmod,procps,ifupdown,isc-dhcp-client,cloud-init,python3-cffi-backend,openssh-server,libpam-pwquality,e2fsprogs,ca-certificates

# A crashed earlier run may have left proc/sys mounted inside its tree: unmount before deleting.
awk -v p="$(realpath -m "$out.tmp")/" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l
rm -rf --one-file-system "$out.tmp"; mkdir -p "$out.tmp"
r="$out.tmp/rootfs"
debootstrap --variant=minbase --include="$pkgs" bookworm "$r" "$mirror"

cat >"$r/etc/apt/sources.list" <<SRC
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
SRC
# Like a public image that is current at build time: no pending security updates. The kernel
# comes last, from the updated lists, so the initramfs is generated once (minutes under chroot).
mount -t proc proc "$r/proc"
trap 'umount "$r/proc" 2>/dev/null || true' EXIT
export DEBIAN_FRONTEND=noninteractive
chroot "$r" apt-get update -q
chroot "$r" apt-get -y -q -o Dpkg::Options::=--force-confold dist-upgrade
chroot "$r" apt-get -y -q --no-install-recommends install linux-image-amd64 initramfs-tools
chroot "$r" apt-get clean
umount "$r/proc"; trap - EXIT

echo debian >"$r/etc/hostname"
printf 'LABEL=rootfs\t/\text4\tdefaults\t0\t1\n' >"$r/etc/fstab"
printf 'auto lo\niface lo inet loopback\nsource-directory /etc/network/interfaces.d\n' >"$r/etc/network/interfaces"
# NoCloud only: no metadata-service probing under QEMU.
echo 'datasource_list: [ NoCloud, None ]' >"$r/etc/cloud/cloud.cfg.d/90-datasource.cfg"
: >"$r/etc/machine-id"
touch "$out.tmp/.complete"
rm -rf --one-file-system "$out"; mv "$out.tmp" "$out"
