#!/bin/sh
# motd: prints the message of the day installed with it (../etc/motd beside the real
# path of this script, so it works through the <root>/bin symlink farm too).
set -eu
here=$(dirname "$(readlink -f "$0")")
cat "$here/../etc/motd"
