#!/usr/bin/env bash
# Builds the two libFuzzer targets with -sanitize=fuzzer,address and runs each:
#   manifest: bytes → findings, tiers and every output format, each output checked;
#   policy:   bytes → strict policy loader → a manifest judged by the policy, every output format checked.
# fuzz/Checks.swift holds what both check (fuzz/ManifestFuzzTarget.swift says what and why).
#
#   ci/fuzz.sh --runs N      the repeatable smoke (ci/test.sh): N inputs per target, seed FUZZ_SEED (default 1),
#                            from a fresh copy of the seeds; the same N and seed run the same inputs.
#   ci/fuzz.sh --time S      exploration: S seconds per target, seed FUZZ_SEED (default 0: libFuzzer picks one),
#                            growing the corpus kept in .build-fuzz/corpus-TARGET/ from run to run.
#
# Seeds: every manifest and YAML fixture for the first target, policies for the second, the target's
# regressions (fixtures/fuzz-regressions/TARGET/) and its dictionary (fuzz/TARGET.dict) when it has one.
# A crash, a failed check, a hang (over 30 s for one input), a leak or out-of-memory stops the run, leaves
# the input in .build-fuzz/artifacts/ and makes the script fail. Add such an input to
# fixtures/fuzz-regressions/TARGET/.
set -euo pipefail
usage() { echo "usage: ci/fuzz.sh --runs N | --time SECONDS" >&2; exit 2; }
[ $# -eq 2 ] || usage
case "$1" in
  --runs) mode=runs; seed="${FUZZ_SEED:-1}" ;;
  --time) mode=time; seed="${FUZZ_SEED:-0}" ;;
  *) usage ;;
esac
count="$2"
[[ "$count" =~ ^[1-9][0-9]*$ ]] || usage

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="$root/.build-fuzz"
mkdir -p "$out/artifacts"

"$here/setup.sh"

sources=$(find "$root/Sources/TiergateCore" -name '*.swift' | sort)
build() {
  local name="$1" target="$2"
  local bin="$out/fuzz-$name"
  # Rebuild when any source (the library's, the C shim's, the fuzz folder's) is newer than the binary.
  if [ ! -x "$bin" ] || [ -n "$(find "$root/Sources" "$root/fuzz" -newer "$bin" \( -name '*.swift' -o -name '*.[ch]' \) | head -1)" ]; then
    echo "fuzz: building $name target" >&2
    # The C shim target (libgit2's variadic options call), compiled as SwiftPM would.
    clang -c -O2 $(pkg-config --cflags libgit2) -I "$root/Sources/CGitSupport/include" \
      "$root/Sources/CGitSupport/support.c" -o "$out/cgitsupport.o"
    swiftc -sanitize=fuzzer,address -O -swift-version 6 -parse-as-library -module-name TiergateFuzz -package-name tiergate \
      -I "$root/Sources/CYAML" -I "$root/Sources/CLibGit2" -I "$root/Sources/CGitSupport/include" -lyaml -lgit2 \
      $sources "$root/fuzz/Checks.swift" "$target" "$out/cgitsupport.o" -o "$bin" 2> >(grep -v "Cannot export local symbol" >&2)
  fi
}
build manifest "$root/fuzz/ManifestFuzzTarget.swift"
build policy "$root/fuzz/PolicyFuzzTarget.swift"

# The seeds, named by their path (two fixtures may share a file name), copied afresh every run.
seeds() {
  local name="$1" dir="$out/seeds-$name"
  rm -rf "$dir" && mkdir -p "$dir"
  local filter=(! -path '*/.tiergate/*')
  [ "$name" = policy ] && filter=(-path '*/.tiergate/*')
  (cd "$root" && find fixtures -type f \( -name '*.yaml' -o -name '*.yml' \) "${filter[@]}" ! -path 'fixtures/fuzz-regressions/*' | sort) |
    while read -r rel; do cp "$root/$rel" "$dir/$(printf '%s' "$rel" | md5sum | cut -c1-16).yaml"; done
  echo "$dir"
}

export SWIFT_BACKTRACE=enable=no
# Repeatable means the same inputs in the same order: Swift's per-process hash seed (Set and Dictionary order)
# and address-space randomisation (libFuzzer learns compared values, pointers among them) would each change the
# path the fuzzer takes.
export SWIFT_DETERMINISTIC_HASHING=1
fixed=()
if setarch "$(uname -m)" -R true 2>/dev/null; then
  fixed=(setarch "$(uname -m)" -R)
elif [ "$mode" = runs ]; then
  echo "fuzz: cannot turn off address-space randomisation here (setarch -R); this smoke may not repeat exactly" >&2
fi
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp:print_suppressions=0"
status=0
for name in manifest policy; do
  seedDir=$(seeds "$name")
  if [ "$mode" = runs ]; then
    # New inputs go to the first folder: a fresh one, so that every smoke starts from the same corpus.
    corpus="$out/smoke-$name"
    rm -rf "$corpus" && mkdir -p "$corpus"
    limit=(-runs="$count")
  else
    corpus="$out/corpus-$name"
    mkdir -p "$corpus"
    limit=(-max_total_time="$count")
  fi
  regressions=()
  [ -d "$root/fixtures/fuzz-regressions/$name" ] && regressions=("$root/fixtures/fuzz-regressions/$name")
  # A dictionary of the target's tokens (fuzz/TARGET.dict): credentials, huge numbers, dates, injections.
  dict=()
  [ -f "$root/fuzz/$name.dict" ] && dict=("-dict=$root/fuzz/$name.dict")
  echo "fuzz: running $name, $mode $count, seed $seed" >&2
  if ! "${fixed[@]}" "$out/fuzz-$name" "$corpus" "$seedDir" "${regressions[@]}" "${dict[@]}" "${limit[@]}" -seed="$seed" -reload=0 \
      -timeout=30 -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$out/artifacts/$name-" -print_final_stats=1 2> "$out/$name.log"; then
    status=1
    echo "fuzz: $name FAILED; see $out/$name.log and $out/artifacts/" >&2
    tail -40 "$out/$name.log" >&2
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "$out/$name.log" | sed "s/^/fuzz: $name: /" >&2 || true
done
exit $status
