#!/bin/bash
# The site config and page were placed by the runner before this step; validate and apply.
set -euo pipefail
nginx -t
systemctl restart nginx || true
