#!/usr/bin/env bash
# A bootstrap tarball made the pkgpanda way (pkgpanda/build make_bootstrap_tarball): unpack
# every package's tar.xz into a temporary directory as <tmp>/packages/<id>/, tar that
# directory with `tar --numeric-owner --owner=0 --group=0`, then delete it. pkgpanda's
# activation (a few hundred links and small files) is left out; it is small beside the rest.
#
# Usage: bench/pkgpanda-bootstrap.sh PACKAGE_LIST OUTPUT TMP_PARENT REPORT COMPRESSION...
#   PACKAGE_LIST  one package file (<id>.tar.xz) per line
#   TMP_PARENT    where the temporary directory goes (keep it on the disk being measured)
#   REPORT        gets "unpack_s pack_s cleanup_s tmp_disk_bytes tmp_apparent_bytes": the
#                 phases' seconds and the temporary directory's size at its peak (after unpacking)
#   COMPRESSION   tar's compression options: -J (what pkgpanda runs), or -I 'xz -T0'
set -euo pipefail
list="$1" output="$2" tmp_parent="$3" report="$4"
shift 4

now() { date +%s%N; }
seconds() { awk -v ns="$(($2 - $1))" 'BEGIN { printf "%.2f", ns / 1e9 }'; }

start=$(now)
work=$(mktemp -d "$tmp_parent/pkgpanda-bootstrap.XXXXXX")
mkdir "$work/packages"
while read -r package; do
    id=$(basename "$package" .tar.xz)
    mkdir "$work/packages/$id"
    tar -xJf "$package" -C "$work/packages/$id"
done < "$list"
unpacked=$(now)
# The directory only grows until tar has read it, so its size now is its peak.
disk=$(du -sB1 "$work" | cut -f1)
apparent=$(du -sb "$work" | cut -f1)
measured=$(now)
tar --numeric-owner --owner=0 --group=0 "$@" -cf "$output" -C "$work" .
packed=$(now)
rm -rf "$work"
removed=$(now)
echo "$(seconds "$start" "$unpacked") $(seconds "$measured" "$packed") $(seconds "$packed" "$removed") $disk $apparent" > "$report"
