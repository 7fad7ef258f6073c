#!/bin/sh
# Install the Debian 12 packages rift needs to build, test and benchmark.
# Idempotent: installs only what is missing (apt-get update runs at most once).
set -eu

PKGS="gcc make meson ninja-build pkg-config clang libclang-rt-14-dev
libsqlite3-dev sqlite3 libyaml-dev libpcre2-dev libarchive-dev libpcap-dev
libssl-dev zlib1g-dev libzstd-dev liblzma-dev libcurl4-openssl-dev
libyara-dev yara libevtx-utils tshark wireshark-common openssl python3
xz-utils bc time libarchive-tools zstd"

missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "rift: missing packages:$missing (run as root or install sudo)" >&2
    exit 1
  fi
fi
echo "rift: installing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
