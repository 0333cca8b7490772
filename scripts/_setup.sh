# Shared by scripts/demo.sh, scripts/test.sh and .ci/run (sourced, not run).
# Installs what Chuangwen needs on a Debian 12 machine: system packages when missing (as root,
# or through sudo) and a virtual environment in .venv with the project installed in it.

CW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CW_VENV="${CW_VENV:-$CW_ROOT/.venv}"
CW_APT_UPDATED=""

cw_say() { printf '%s\n' "$*" >&2; }

# cw_apt_install PACKAGE... : install Debian packages, running apt-get update once first.
cw_apt_install() {
  [ "$#" -gt 0 ] || return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo -n"
    else
      cw_say "Missing system packages: $*"
      cw_say "Install them as root: apt-get install -y $*"
      return 1
    fi
  fi
  cw_say "Installing system packages: $*"
  if [ -z "$CW_APT_UPDATED" ]; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    CW_APT_UPDATED=1
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

cw_have_package() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# cw_ensure_browser: Debian's Chromium (Playwright cannot download its own here) and CJK fonts.
cw_ensure_browser() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  cw_have_package fonts-noto-cjk || missing+=(fonts-noto-cjk)
  command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
  # The two-app-servers test puts nginx (round-robin) in front of two `chuangwen serve`; the load
  # and faults benchmarks start their own redis-server.
  [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  cw_apt_install "${missing[@]}"
}

# cw_ensure_venv EXTRAS : .venv with `pip install -e .[EXTRAS]`, redone when pyproject changes.
cw_ensure_venv() {
  local extras="$1" spec="$CW_ROOT" stamp
  [ -n "$extras" ] && spec="$CW_ROOT[$extras]"
  if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    cw_say "Chuangwen needs Python 3.11 or newer as python3 (Debian 12 has it)."
    return 1
  fi
  if [ ! -x "$CW_VENV/bin/python" ]; then
    # Debian ships venv's pip bootstrap separately, in python3-venv.
    if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
      cw_apt_install python3-venv || return 1
    fi
    cw_say "Creating the virtual environment in $CW_VENV"
    python3 -m venv "$CW_VENV"
  fi
  stamp="$CW_VENV/.chuangwen-installed-${extras:-base}"
  local want
  want="$(sha256sum "$CW_ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    cw_say "Installing Chuangwen${extras:+ with [$extras]} into $CW_VENV (a minute the first time)"
    # (The filter drops pip's notes about index folders some machines configure but lack.)
    "$CW_VENV/bin/python" -m pip install --disable-pip-version-check -q -e "$spec" 2>&1 \
      | { grep -v "is ignored: it is neither a file nor a directory" >&2 || true; }
    local rc=${PIPESTATUS[0]}
    [ "$rc" -eq 0 ] || { cw_say "pip install failed (exit $rc)"; return 1; }
    echo "$want" > "$stamp"
  fi
}
