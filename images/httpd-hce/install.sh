#!/bin/bash
# Installs Apache httpd from the Huawei Cloud EulerOS repositories, non-interactively.
set -euo pipefail
dnf -y -q install httpd
systemctl enable httpd
