#!/usr/bin/env bash
# Install Chuangwen into .venv and start the demo district on http://127.0.0.1:8000/.
# Arguments go to `chuangwen demo` (e.g. --port 8080, --no-serve). Data: $CHUANGWEN_DATA or ./data.
set -euo pipefail
. "$(dirname "$0")/_setup.sh"
cw_ensure_venv ""
cd "$CW_ROOT"
exec "$CW_VENV/bin/chuangwen" demo "$@"
