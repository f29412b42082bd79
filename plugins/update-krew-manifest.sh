#!/usr/bin/env bash
# Fills the krew manifest in for a release, from the tarballs the release job built:
#
#   plugins/update-krew-manifest.sh VERSION DIST_DIR [MANIFEST]
#
# VERSION is the release tag (v0.1.0). DIST_DIR holds kubectl-apprelease_<os>_<arch>.tar.gz for
# every platform the manifest lists. MANIFEST defaults to plugins/apprelease.yaml and is
# rewritten in place: spec.version, the release tag in every download URL, and each platform's
# sha256, computed from its tarball. DIST_DIR/SHA256SUMS is written too (`sha256sum --check`
# format), for pipelines that download a tarball without krew.
#
# Refuses (exit 1, manifest untouched) when a listed tarball is missing: a platform must never be
# published with the placeholder checksum. Needs bash 4 or newer (the release job's Linux).
set -euo pipefail

usage() { echo "usage: $0 VERSION DIST_DIR [MANIFEST]   (e.g. $0 v0.1.0 dist/)" >&2; exit 64; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
version="$1"
dist="$2"
manifest="${3:-$(dirname "$0")/apprelease.yaml}"
[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || { echo "$0: VERSION must look like v1.2.3, got '$version'" >&2; exit 64; }
[ -d "$dist" ] || { echo "$0: $dist is not a directory" >&2; exit 64; }
[ -f "$manifest" ] || { echo "$0: $manifest not found" >&2; exit 64; }

if command -v sha256sum >/dev/null; then sha256() { sha256sum "$1" | cut -d' ' -f1; }
else sha256() { shasum -a 256 "$1" | cut -d' ' -f1; }; fi

# The tarballs the manifest names, in its order.
mapfile -t tarballs < <(sed -n 's|^ *uri: .*/\(kubectl-apprelease_[a-z0-9]*_[a-z0-9]*\.tar\.gz\)$|\1|p' "$manifest")
[ "${#tarballs[@]}" -gt 0 ] || { echo "$0: no kubectl-apprelease_<os>_<arch>.tar.gz URIs in $manifest" >&2; exit 1; }

missing=()
declare -A sums
for tarball in "${tarballs[@]}"; do
  if [ -f "$dist/$tarball" ]; then sums[$tarball]="$(sha256 "$dist/$tarball")"; else missing+=("$tarball"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "$0: missing in $dist: ${missing[*]}; the manifest was not changed" >&2
  exit 1
fi

# Line by line: a uri line names the tarball whose checksum the next sha256 line of the same
# platform gets.
updated="$(mktemp "${manifest}.XXXXXX")"
trap 'rm -f "$updated"' EXIT
current=""
while IFS= read -r line || [ -n "$line" ]; do
  if [[ "$line" =~ ^([[:space:]]*)version:[[:space:]] ]]; then
    line="${BASH_REMATCH[1]}version: $version"
  elif [[ "$line" =~ ^([[:space:]]*)uri:[[:space:]]*(.*/releases/download/)[^/]+/(kubectl-apprelease_[a-z0-9]+_[a-z0-9]+\.tar\.gz)$ ]]; then
    current="${BASH_REMATCH[3]}"
    line="${BASH_REMATCH[1]}uri: ${BASH_REMATCH[2]}$version/$current"
  elif [[ "$line" =~ ^([[:space:]]*)sha256:[[:space:]] ]] && [ -n "$current" ]; then
    line="${BASH_REMATCH[1]}sha256: \"${sums[$current]}\""
    current=""
  fi
  printf '%s\n' "$line"
done < "$manifest" > "$updated"

if grep -q 'sha256: "0\{64\}"' "$updated"; then
  echo "$0: a platform kept the placeholder checksum; the manifest was not changed" >&2
  exit 1
fi
# Rewritten through a redirect, not moved, so the manifest keeps its own permissions.
cat "$updated" > "$manifest"

for tarball in "${tarballs[@]}"; do printf '%s  %s\n' "${sums[$tarball]}" "$tarball"; done > "$dist/SHA256SUMS"
echo "$manifest: $version, ${#tarballs[@]} platforms; checksums in $dist/SHA256SUMS"
