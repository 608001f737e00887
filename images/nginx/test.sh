#!/bin/bash
# Boot test, run on a fresh instance launched from the captured image.
set -euo pipefail
systemctl is-enabled nginx
for _ in $(seq 1 30); do
  if curl -fsS http://127.0.0.1/ | grep -q 'Nginx Web Server'; then exit 0; fi
  sleep 2
done
echo "nginx did not serve the welcome page" >&2
exit 1
