#!/bin/bash
# Installs nginx from the distribution's packages, non-interactively.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends nginx
systemctl enable nginx
