#!/bin/bash
# rust-names: Rust names are demangled, legacy and v0.  tests/targets/
# rust_hot.rs is compiled here with rustc (skipped without it), once with
# the default mangling and once with -C symbol-mangling-version=v0; for
# each, rust_hot::engine::hot_rust has more than 50 % of cpu-clock, and no
# row names a function with its legacy hash (::h + 16 hex digits) or
# mangled (_ZN..., _R...).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

rustc=${RUSTC:-rustc}
command -v "$rustc" >/dev/null 2>&1 || skip "no rustc to build the Rust target"
note "$("$rustc" --version 2>&1)"
src=$TESTS_SRCDIR/targets/rust_hot.rs
[ -f "$src" ] || fail "no $src"
"$rustc" -O -g -o "$tmp/rust_legacy" "$src" 2>rustc-legacy.err ||
	{ show rustc-legacy.err; fail "rustc could not build $src"; }
"$rustc" -O -g -C symbol-mangling-version=v0 -o "$tmp/rust_v0" "$src" \
    2>rustc-v0.err || { show rustc-v0.err; fail "rustc could not build $src with v0 mangling"; }
# What each binary holds (where nm is there to tell).
if command -v nm >/dev/null 2>&1; then
	nm "$tmp/rust_v0" | grep -q '_RNv.*8rust_hot6engine8hot_rust' ||
		fail "rust_v0 has no v0-mangled hot_rust symbol"
	nm "$tmp/rust_legacy" | grep -Eq '_ZN8rust_hot6engine8hot_rust17h[0-9a-f]{16}E' ||
		note "rust_legacy has no legacy-mangled hot_rust (this rustc's default is not legacy)"
fi

for kind in legacy v0; do
	start_target "$tmp/rust_$kind" 30
	rr_run "$kind" -b -p "$TARGET_PID" --duration 2.5 --format csv -o "$kind.csv"
	expect_rc 0
	stop_target "$TARGET_PID"
	csvq dump "$kind.csv"
	csvq check "$kind.csv" || fail "$kind.csv is not a valid snapshot"
	assert_pct_above "$kind.csv" cpu-clock rust_hot::engine::hot_rust 50
	left=$(csvq match "$kind.csv" '*' '::h[0-9a-f]{16}|^_ZN|^_R[A-Z_]' || true)
	if [ -n "$left" ]; then
		note "rows with a hash or a mangled name:"
		echo "$left" | sed -n '1,10s/^/    /p'
		fail "$kind: a Rust hash or mangled name is left in the snapshot"
	fi
done
