#!/bin/bash
# Boot test, run on a fresh instance launched from the captured image.
set -euo pipefail
systemctl is-enabled httpd
for _ in $(seq 1 30); do
  if curl -fsS http://127.0.0.1/ | grep -q 'Apache HTTP Server'; then
    # The version stays hidden (ServerTokens Prod in files/koogallery.conf).
    server=$(curl -fsSI http://127.0.0.1/ | tr -d '\r' | sed -n 's/^[Ss]erver: //p')
    [ "$server" = Apache ] || { echo "the Server header reveals \"$server\", expected \"Apache\"" >&2; exit 1; }
    exit 0
  fi
  sleep 2
done
echo "httpd did not serve the welcome page" >&2
exit 1
