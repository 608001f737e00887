#!/bin/bash
# KooGallery rejects images with pending high-severity updates or a weak password policy
# (KooGallery Product Security Review Standards: https://support.huaweicloud.com/intl/en-us/mpintro-marketplace/Specification-0007.html):
# apply every update and require 8+ characters of 2+ classes.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold upgrade
apt-get install -y -q --no-install-recommends libpam-pwquality
mkdir -p /etc/security/pwquality.conf.d
printf 'minlen = 8\nminclass = 2\nusercheck = 1\n' >/etc/security/pwquality.conf.d/90-koogallery.conf
