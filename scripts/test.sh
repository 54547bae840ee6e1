#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian machine, then runs it all.
# Idempotent: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# 1. System packages: Debian's Chromium (browser tests) and its headless shell (snapshots), a system CJK font (maplayout
#    ships its own for figures; the tests use Noto for the fallback and the font-independence
#    checks), poppler-utils (pdftotext reads figure PDFs), npm (axe-core) and venv support for
#    python3, each only when missing.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromium-headless-shell >/dev/null 2>&1 || need+=(chromium-headless-shell)
[ -n "$(fc-list "Noto Sans CJK SC" 2>/dev/null)" ] || need+=(fonts-noto-cjk)  # no grep -q: SIGPIPE + pipefail
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v npm >/dev/null 2>&1 || need+=(npm)
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || need+=(python3-venv)
if ((${#need[@]})); then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "installing ${need[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# 2. Python: the package (editable) with its test extra, in ./.venv.
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test,rebuild]"

# 3. JavaScript test tools (axe-core), pinned by tests/js/package-lock.json.
(cd tests/js && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

# 4. Lint and type-check, then the whole suite (browser tests included; a skip is a failure here, as in CI).
export CI="${CI:-1}"
.venv/bin/ruff check maplayout tests scripts benchmarks notebooks
.venv/bin/ruff format --check maplayout tests scripts benchmarks notebooks
.venv/bin/mypy maplayout tests
.venv/bin/python -m pytest "$@"
