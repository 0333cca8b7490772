#!/usr/bin/env bash
# Refresh the translation catalogue from the code and compile it.
# Needs GNU gettext (apt-get install gettext). The compiled .mo is committed, so running the
# platform never needs gettext.
set -euo pipefail
cd "$(dirname "$0")/../chuangwen"
export DJANGO_SETTINGS_MODULE=chuangwen.settings
export CHUANGWEN_DATA="${CHUANGWEN_DATA:-$(mktemp -d)}"
py=python3; [ -x ../.venv/bin/python ] && py=../.venv/bin/python
$py -m django makemessages -l zh_Hans --no-obsolete --no-location \
  --ignore='tests/*' --ignore='*/tests/*' --ignore='bench/*' --ignore='static/*'
$py -m django compilemessages -l zh_Hans
