#!/bin/bash
# Huawei Cloud EulerOS 2.0 (dnf). KooGallery rejects images with pending high-severity updates or
# a weak password policy (KooGallery Product Security Review Standards:
# https://support.huaweicloud.com/intl/en-us/mpintro-marketplace/Specification-0007.html):
# apply every update, keep the repositories' advisories (updateinfo) in dnf's cache so the
# self-check can prove none is pending, and require passwords of 8+ characters of 2+ classes.
set -euo pipefail
dnf -y -q upgrade --refresh
dnf -y -q install libpwquality
dnf -q makecache
mkdir -p /etc/security/pwquality.conf.d
printf 'minlen = 8\nminclass = 2\nusercheck = 1\n' >/etc/security/pwquality.conf.d/90-koogallery.conf
# HCE's PAM stacks call pam_pwquality; a stack that lost it gets it back, just before pam_unix.
for stack in /etc/pam.d/system-auth /etc/pam.d/password-auth; do
  [ -f "$stack" ] || continue
  grep -qE '^password[[:space:]].*pam_pwquality\.so' "$stack" ||
    sed -i '0,/^password[[:space:]].*pam_unix\.so/s//password    requisite     pam_pwquality.so try_first_pass local_users_only\n&/' "$stack"
done
