#!/usr/bin/env bash
# Install Chuangwen into .venv and start the demo district on http://127.0.0.1:8000/.
# Arguments go to `chuangwen demo` (e.g. --port 8080, --no-serve). Data: $CHUANGWEN_DATA or ./data.
set -euo pipefail
. "$(dirname "$0")/_setup.sh"
cw_ensure_venv ""
# PDF bulletins embed a Chinese font (chuangwen/bulletins/fonts.py); without it only the PDF fails.
cw_have_package fonts-noto-cjk || cw_apt_install fonts-noto-cjk || cw_say "PDF bulletins need fonts-noto-cjk"
cd "$CW_ROOT"
exec "$CW_VENV/bin/chuangwen" demo "$@"
