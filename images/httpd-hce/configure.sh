#!/bin/bash
# The site config and page were placed by the runner before this step; validate and apply.
set -euo pipefail
apachectl configtest
systemctl restart httpd || true
