#!/usr/bin/env bash
# The end-to-end tier drives Debian's chromium (never a downloaded browser).
set -eu
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
  else
    sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
  fi
fi
/usr/bin/chromium --version
