#!/usr/bin/env bash
# The content screen's gloss view reads German, French and Spanish words in English from FreeDict's
# dictionaries, Debian's dict-freedict-*-eng packages (licensing/screening/gloss.py; without them
# those languages are not glossed, and the screen reads as before). Installed when missing.
set -eu
DIR=${CONTENT_SCREENING_DICTD:-/usr/share/dictd}
missing=0
for l in deu fra spa; do
  [ -f "$DIR/freedict-$l-eng.index" ] || missing=1
done
if [ $missing = 1 ]; then
  pkgs="dict-freedict-deu-eng dict-freedict-fra-eng dict-freedict-spa-eng"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs >/dev/null 2>&1 \
    || { $SUDO apt-get update -q >/dev/null && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs >/dev/null; }
fi
for l in deu fra spa; do
  test -f "$DIR/freedict-$l-eng.index"
done
echo "screening dictionaries: $DIR (German, French, Spanish)"
