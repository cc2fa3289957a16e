#!/usr/bin/env bash
# Install those of the given Debian packages that are not installed yet.
#
#   scripts/ensure-system-packages.sh chromium dovecot-imapd ...
#
# When every package is already installed it does no apt work at all (no
# update, no network), so a prepared machine pays only one dpkg-query.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

missing=()
for package in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [[ $status == installed ]] || missing+=("$package")
done
((${#missing[@]} > 0)) || exit 0

if ! command -v apt-get >/dev/null; then
    echo "WARNING: not a Debian system; install these yourself: ${missing[*]}" >&2
    exit 0
fi

echo "== installing Debian packages: ${missing[*]}"
# Wait for a dpkg/apt lock held by another apt run instead of failing at once.
apt_options=(-q -o DPkg::Lock::Timeout=600)
as_root apt-get "${apt_options[@]}" update
# Without --no-install-recommends chromium alone pulls in ~140 packages,
# a systemd upgrade among them.
as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get "${apt_options[@]}" install -y --no-install-recommends "${missing[@]}"
