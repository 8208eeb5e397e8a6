#!/usr/bin/env bash
# Builds the two libFuzzer targets with -sanitize=fuzzer,address and runs each:
#   manifest: bytes → findings, tiers, every report format, explain and inventory, each output checked;
#   policy:   bytes → strict policy loader → manifests judged by the policy → every report format, checked.
# fuzz/Checks.swift holds what both check; each target's header says what it adds.
#
#   ci/fuzz.sh --runs N      the repeatable smoke (.ci/run): N inputs per target, seed FUZZ_SEED (default 1),
#                            from a fresh copy of the seeds; the same commit, N and seed run the same inputs, in
#                            any checkout (two clones at different paths end with the same coverage and corpus).
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

sources=$(find "$root/Sources/TiergateCore" -name '*.swift' | LC_ALL=C sort)
build() {
  local name="$1" target="$2"
  local bin="$out/fuzz-$name" objects="obj-$name"
  # Rebuild when any source (the library's, the C targets', the fuzz folder's, the embedded files) or this script
  # is newer than the binary.
  if [ ! -x "$bin" ] || [ -n "$(find "$root/Sources" "$root/fuzz" "$here/fuzz.sh" "$root/schemas" "$root/fixtures/demo" -newer "$bin" -type f | head -1)" ]; then
    echo "fuzz: building $name target" >&2
    # The C shim target (libgit2's variadic options call), compiled as SwiftPM would.
    clang -c -O2 $(pkg-config --cflags libgit2) -I "$root/Sources/CGitSupport/include" \
      "$root/Sources/CGitSupport/support.c" -o "$out/cgitsupport.o"
    # The files the tool ships (#embed reads schemas/ and fixtures/demo/).
    clang -c -O2 -I "$root/Sources/CEmbeddedFiles/include" \
      "$root/Sources/CEmbeddedFiles/embedded_files.c" -o "$out/cembeddedfiles.o"
    # Every object at a fixed path relative to .build-fuzz: swiftc would name them in a random temporary
    # folder, AddressSanitizer keeps those names in the binary, and two builds would not fuzz alike.
    rm -rf "${out:?}/$objects" && mkdir -p "$out/$objects"
    {
      echo "{"
      for f in $sources "$root/fuzz/Checks.swift" "$target"; do
        rel="${f#"$root"/}"
        echo "  \"$f\": {\"object\": \"$objects/${rel//\//_}.o\"},"
      done
      echo '  "": {}'
      echo "}"
    } > "$out/$objects/outputs.json"
    (cd "$out" && swiftc -c -sanitize=fuzzer,address -O -swift-version 6 -parse-as-library -module-name TiergateFuzz \
      -package-name tiergate -I "$root/Sources/CYAML" -I "$root/Sources/CLibGit2" -I "$root/Sources/CGitSupport/include" \
      -I "$root/Sources/CEmbeddedFiles/include" -output-file-map "$objects/outputs.json" $sources "$root/fuzz/Checks.swift" "$target")
    (cd "$out" && swiftc -sanitize=fuzzer,address "$objects"/*.o cgitsupport.o cembeddedfiles.o -lyaml -lgit2 -o "fuzz-$name" \
      2> >(grep -v "Cannot export local symbol" >&2))
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
  (cd "$root" && find fixtures -type f \( -name '*.yaml' -o -name '*.yml' \) "${filter[@]}" ! -path 'fixtures/fuzz-regressions/*' | LC_ALL=C sort) |
    while read -r rel; do cp "$root/$rel" "$dir/$(printf '%s' "$rel" | md5sum | cut -c1-16).yaml"; done
}

export SWIFT_BACKTRACE=enable=no
# Repeatable means the same inputs in the same order, wherever the checkout is. Three things would each change
# the fuzzer's path: Swift's per-process hash seed (Set and Dictionary order); address-space randomisation
# (libFuzzer learns compared values, pointers among them); and the length of the paths libFuzzer is given (its
# own strings share the heap with the target's, so they move the target's addresses). Hence fixed hashing,
# setarch -R, and the fuzzers run in .build-fuzz/ with relative paths.
export SWIFT_DETERMINISTIC_HASHING=1
fixed=()
if setarch "$(uname -m)" -R true 2>/dev/null; then
  fixed=(setarch "$(uname -m)" -R)
elif [ "$mode" = runs ]; then
  echo "fuzz: cannot turn off address-space randomisation here (setarch -R); this smoke may not repeat exactly" >&2
fi
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export LSAN_OPTIONS="suppressions=../fuzz/lsan.supp:print_suppressions=0"
status=0
for name in manifest policy; do
  seeds "$name"
  if [ "$mode" = runs ]; then
    # New inputs go to the first folder: a fresh one, so that every smoke starts from the same corpus.
    corpus="smoke-$name"
    rm -rf "${out:?}/$corpus" && mkdir -p "$out/$corpus"
    limit=(-runs="$count")
  else
    corpus="corpus-$name"
    mkdir -p "$out/$corpus"
    limit=(-max_total_time="$count")
  fi
  regressions=()
  [ -d "$root/fixtures/fuzz-regressions/$name" ] && regressions=("../fixtures/fuzz-regressions/$name")
  # A dictionary of the target's tokens (fuzz/TARGET.dict): credentials, huge numbers, dates, injections.
  dict=()
  [ -f "$root/fuzz/$name.dict" ] && dict=("-dict=../fuzz/$name.dict")
  echo "fuzz: running $name, $mode $count, seed $seed" >&2
  if ! (cd "$out" && "${fixed[@]}" "./fuzz-$name" "$corpus" "seeds-$name" "${regressions[@]}" "${dict[@]}" "${limit[@]}" -seed="$seed" \
      -reload=0 -timeout=30 -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="artifacts/$name-" -print_final_stats=1) 2> "$out/$name.log"; then
    status=1
    echo "fuzz: $name FAILED; see $out/$name.log and $out/artifacts/" >&2
    tail -40 "$out/$name.log" >&2
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "$out/$name.log" | sed "s/^/fuzz: $name: /" >&2 || true
done
exit $status
