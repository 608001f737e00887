#!/bin/bash
# Boot test: the server answers on its port.
set -euo pipefail
systemctl is-enabled redis-server
for _ in $(seq 1 30); do
  if redis-cli ping | grep -q PONG; then exit 0; fi
  sleep 2
done
echo "redis did not answer PING" >&2
exit 1
