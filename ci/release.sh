#!/usr/bin/env bash
# Builds the release tarball: dist/tiergate-VERSION-linux-ARCH.tar.gz and dist/tiergate-VERSION-linux-ARCH.tar.gz.sha256.
#
# The Swift runtime and Foundation are linked into the binary (--static-swift-stdlib): the tarball needs no Swift
# installation. libgit2 and libyaml stay system libraries (the distribution's security updates apply to them),
# so the tarball runs on the distribution it was built on, or one with the same library versions: it names the
# packages that hold them in share/tiergate/runtime-packages (Debian/Ubuntu names; `apt-get install $(cat ...)`).
# The project's releases are built on ubuntu-24.04, the GitHub Actions runner image (libgit2-1.7, libyaml-0-2).
#
# Options (environment): DIST (default dist), BUILD_PATH (default .build-static, shared with bench/run.sh),
# SOURCE_DATE_EPOCH (the files' time in the tarball; default the last commit's).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="${DIST:-$root/dist}"
build_path="${BUILD_PATH:-$root/.build-static}"

version=$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' "$root/Sources/TiergateCore/Support/Version.swift")
[ -n "$version" ] || { echo "release: cannot read the version from Sources/TiergateCore/Support/Version.swift" >&2; exit 2; }
arch=$(uname -m)
name="tiergate-$version-linux-$arch"
epoch="${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}"

build=(swift build -c release --static-swift-stdlib --product tiergate --package-path "$root" --build-path "$build_path")
echo "release: building $name (release, static Swift runtime)" >&2
"${build[@]}" >&2
bin="$("${build[@]}" --show-bin-path)/tiergate"

# The binary must not need the Swift toolchain's libraries.
if ldd "$bin" | grep -Eq 'libswift|libFoundation|libdispatch|libBlocksRuntime'; then
  echo "release: $bin still links Swift runtime libraries dynamically:" >&2
  ldd "$bin" | grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime' >&2
  exit 1
fi
if ldd "$bin" | grep -q 'not found'; then
  echo "release: $bin has unresolved libraries" >&2
  exit 1
fi

# The packages that hold the system libraries tiergate links directly (libgit2, libyaml).
packages=()
for soname in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(lib\(git2\|yaml\)[^]]*\)\].*/\1/p'); do
  file=$(ldd "$bin" | awk -v so="$soname" '$1 == so { print $3 }')
  pkg=$(dpkg -S "$(readlink -f "$file")" 2>/dev/null | head -n1 | cut -d: -f1 || true)
  [ -n "$pkg" ] || pkg=$(dpkg -S "$file" 2>/dev/null | head -n1 | cut -d: -f1 || true)
  [ -n "$pkg" ] || { echo "release: no package holds $file ($soname)" >&2; exit 1; }
  packages+=("$pkg")
done
[ "${#packages[@]}" -eq 2 ] || { echo "release: expected libgit2 and libyaml among the binary's libraries, found: ${packages[*]:-none}" >&2; exit 1; }

stage_root=$(mktemp -d)
trap 'rm -rf "$stage_root"' EXIT
stage="$stage_root/$name"
mkdir -p "$stage/bin" "$stage/share/tiergate"
install -m 0755 "$bin" "$stage/bin/tiergate"
strip --strip-unneeded "$stage/bin/tiergate" 2>/dev/null || true
printf '%s\n' "${packages[@]}" > "$stage/share/tiergate/runtime-packages"
cat > "$stage/share/tiergate/README" <<TEXT
tiergate $version for Linux ($arch)

bin/tiergate is self-contained except for two system libraries, libgit2 and libyaml, which the
distribution keeps up to date. The packages that hold them where this was built (Debian/Ubuntu names):

  $(tr '\n' ' ' < "$stage/share/tiergate/runtime-packages")

Install them (apt-get install \$(cat share/tiergate/runtime-packages)), put bin/ on the PATH, and run
tiergate demo.
TEXT
cp "$root/README.md" "$stage/share/tiergate/README.md"

mkdir -p "$dist"
tarball="$dist/$name.tar.gz"
# Reproducible: sorted names, fixed owner and time, gzip without a timestamp.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$stage_root" -cf - "$name" | gzip -n -9 > "$tarball"
(cd "$dist" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "release: $tarball ($(du -h "$tarball" | cut -f1)), needs: ${packages[*]}" >&2
echo "$tarball"
