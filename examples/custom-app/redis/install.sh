#!/bin/bash
# Installs Redis from the distribution, listening on all interfaces behind a password the buyer sets.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q redis-server
sed -i 's/^bind .*/bind 0.0.0.0/' /etc/redis/redis.conf
systemctl enable redis-server
