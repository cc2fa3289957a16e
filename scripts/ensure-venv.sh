#!/usr/bin/env bash
# Create the virtual environment (default .venv) with $PYTHON (default
# python3) unless a working one is already there.
set -euo pipefail
venv=${1:-.venv}
python=${PYTHON:-python3}

if "$venv/bin/python" -c '' 2>/dev/null; then
    exit 0
fi

if ! command -v "$python" >/dev/null; then
    echo "ERROR: $python not found; Frontdesk needs Python 3.11 or newer." >&2
    exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "ERROR: $python is $("$python" -V 2>&1); Frontdesk needs Python 3.11 or newer." >&2
    exit 1
fi

echo "== creating $venv with $("$python" -V 2>&1)"
rm -rf "$venv"  # a broken leftover (e.g. its Python was removed)
if ! "$python" -m venv "$venv" 2>/dev/null; then
    # Debian's python3 has the venv module but not ensurepip, which venv
    # needs to put pip into the environment: package python3-venv adds it.
    rm -rf "$venv"
    bash "$(dirname "$0")/ensure-system-packages.sh" python3-venv
    "$python" -m venv "$venv"
fi
