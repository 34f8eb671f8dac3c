#!/usr/bin/env bash
# Fetches the upstream source tarball of a Debian source package (its NAME_VERSION.orig.tar.*)
# into DIR and prints the tarball's path: real upstream code for tests, without the internet
# beyond Debian's archive. The apt lists are private to DIR (the machine's apt configuration
# is not changed): deb-src entries are derived from the host's own deb822 sources, so no
# mirror is named here. Versions are tried newest first, because the newest may live only on
# a security pool that answers 404 here. A tarball already in DIR is reused.
# Usage: scripts/upstream-source.sh NAME DIR
set -euo pipefail
name="$1"
directory="$2"
mkdir -p "$directory"
directory="$(cd "$directory" && pwd)"

existing=$(find "$directory" -maxdepth 1 -name "${name}_*.orig.tar.*" ! -name '*.asc' | sort | tail -n 1)
if [ -n "$existing" ]; then
    echo "$existing"
    exit 0
fi

apt_state="$directory/.apt"
mkdir -p "$apt_state/lists/partial" "$apt_state/sources.list.d"
found_sources=0
for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    sed 's/^Types:.*$/Types: deb-src/' "$file" > "$apt_state/sources.list.d/$(basename "$file")"
    found_sources=1
done
if [ "$found_sources" = 0 ]; then
    echo "upstream-source: no deb822 sources in /etc/apt/sources.list.d to derive deb-src entries from" >&2
    exit 2
fi
apt_options=(-q -o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt_state/sources.list.d"
             -o "Dir::State::Lists=$apt_state/lists" -o "APT::Sandbox::User=root")
apt-get "${apt_options[@]}" update >"$apt_state/update.log" 2>&1 || {
    echo "upstream-source: apt-get update of the deb-src lists failed; see $apt_state/update.log" >&2
    exit 1
}

download="$apt_state/download"
mkdir -p "$download"
for version in $(apt-cache "${apt_options[@]}" showsrc "$name" | sed -n 's/^Version: //p' | sort -Vr | uniq); do
    rm -rf "${download:?}"/*
    if (cd "$download" && apt-get "${apt_options[@]}" source --download-only "$name=$version" >"$apt_state/source.log" 2>&1); then
        tarball=$(find "$download" -maxdepth 1 -name "${name}_*.orig.tar.*" ! -name '*.asc' | head -n 1)
        if [ -n "$tarball" ]; then
            mv "$tarball" "$directory/"
            echo "$directory/$(basename "$tarball")"
            exit 0
        fi
    fi
done
echo "upstream-source: no version of $name could be downloaded; see $apt_state/source.log" >&2
exit 1
