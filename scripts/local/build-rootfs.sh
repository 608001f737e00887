#!/bin/bash
# Builds a Debian root filesystem for local boots (`image-factory try`, the emulator's QEMU guests,
# the guest test tier): a minbase system with a kernel, cloud-init, curl and what the self-check
# inspects, updated from the security suite like a fresh public image. Output: <out>/rootfs,
# <out>/.complete. The cache key is a hash of this file, so changing a package list rebuilds.
#   build-rootfs.sh <debian12|debian13> <output dir>
# debian12 (bookworm) networks like Debian 12's images: ifupdown + isc-dhcp-client. debian13
# (trixie) like Ubuntu's and Debian 13's cloud images: cloud-init renders netplan for
# systemd-networkd, systemd-resolved serves DNS, no ifupdown.
set -euo pipefail
variant="${1:?usage: build-rootfs.sh <debian12|debian13> <output dir>}"
out="${2:?usage: build-rootfs.sh <debian12|debian13> <output dir>}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
# python3-cffi-backend: cloud-init needs it but minbase does not pull it (cloud-init stays unconfigured).
common=systemd-sysv,udev,dbus,kmod,procps,cloud-init,python3-cffi-backend,openssh-server,libpam-pwquality,e2fsprogs,ca-certificates,curl
case "$variant" in
  debian12) suite=bookworm pkgs=$common,ifupdown,isc-dhcp-client ;;
  debian13) suite=trixie pkgs=$common,netplan.io,systemd-resolved ;;
  *) echo "build-rootfs.sh: unknown variant $variant (expected debian12 or debian13)" >&2; exit 2 ;;
esac

# A crashed earlier run may have left proc/sys mounted inside its tree: unmount before deleting.
awk -v p="$(realpath -m "$out.tmp")/" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r | xargs -r -n1 umount -l
rm -rf --one-file-system "$out.tmp"; mkdir -p "$out.tmp"
r="$out.tmp/rootfs"
debootstrap --variant=minbase --include="$pkgs" "$suite" "$r" "$mirror"

cat >"$r/etc/apt/sources.list" <<SRC
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
SRC
rm -f "$r/etc/apt/sources.list.d/debian.sources"
# Like a public image that is current at build time: no pending security updates. The kernel
# comes last, from the updated lists, so the initramfs is generated once (minutes under chroot).
mount -t proc proc "$r/proc"
trap 'umount "$r/proc" 2>/dev/null || true' EXIT
# systemd-resolved (debian13) points resolv.conf at /run, empty in a chroot: the host's meanwhile.
resolv=$(readlink "$r/etc/resolv.conf" || true)
[ -z "$resolv" ] || { rm -f "$r/etc/resolv.conf"; cp /etc/resolv.conf "$r/etc/resolv.conf"; }
export DEBIAN_FRONTEND=noninteractive
chroot "$r" apt-get update -q
chroot "$r" apt-get -y -q -o Dpkg::Options::=--force-confold dist-upgrade
chroot "$r" apt-get -y -q --no-install-recommends install linux-image-amd64 initramfs-tools
chroot "$r" apt-get clean
umount "$r/proc"; trap - EXIT

echo debian >"$r/etc/hostname"
printf 'LABEL=rootfs\t/\text4\tdefaults\t0\t1\n' >"$r/etc/fstab"
if [ "$variant" = debian12 ]; then
  printf 'auto lo\niface lo inet loopback\nsource-directory /etc/network/interfaces.d\n' >"$r/etc/network/interfaces"
else
  # cloud-init writes /etc/netplan/50-cloud-init.yaml at first boot; netplan generates the
  # systemd-networkd units from it. resolved owns resolv.conf, as on the cloud images.
  chroot "$r" systemctl enable systemd-networkd.service systemd-resolved.service
  ln -sf ../run/systemd/resolve/stub-resolv.conf "$r/etc/resolv.conf"
fi
# NoCloud only: no metadata-service probing under QEMU.
echo 'datasource_list: [ NoCloud, None ]' >"$r/etc/cloud/cloud.cfg.d/90-datasource.cfg"
: >"$r/etc/machine-id"
touch "$out.tmp/.complete"
rm -rf --one-file-system "$out"; mv "$out.tmp" "$out"
