#!/bin/bash
# deleted-lib: code in a library whose file changed after it was mapped
# is still named where its symbols can be read.  dlopen_late dlopens a
# copy of libdlhot.so and spins in its dl_hot; then the copy is
#  - deleted (rm): its symbols are read through /proc/PID/map_files (as
#    root; skipped otherwise);
#  - truncated to the end of its last loaded segment (truncate -s): the
#    section headers and .symtab are gone, the dynamic symbols are read
#    through PT_DYNAMIC.
# Either way dl_hot, in the copy, has more than 50 % of cpu-clock.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python
lib=$TARGETS/libdlhot.so
[ -f "$lib" ] || fail "no $lib (make check builds it)"

# The end of the last PT_LOAD's bytes in the file FILE.
loaded_end() {
	python3 - "$1" <<'EOF'
import struct, sys
b = open(sys.argv[1], "rb").read()
if b[:4] != b"\x7fELF" or b[4] != 2 or b[5] != 1:
    sys.exit("not a little-endian ELF64 file")
phoff, = struct.unpack_from("<Q", b, 32)
phentsize, phnum = struct.unpack_from("<HH", b, 54)
end = 0
for i in range(phnum):
    p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", b, phoff + i * phentsize)
    if p_type == 1:
        end = max(end, p_offset + p_filesz)
print(end)
EOF
}

# run_case NAME: dlopen_late on lib-NAME.so, changed by change_NAME, is
# profiled; dl_hot in lib-NAME.so is on top.
run_case() {
	local name=$1 copy=$tmp/lib-$1.so i=0 top
	cp "$lib" "$copy"
	start_target dlopen_late "$copy" 30 0.2
	until grep -q "lib-$name.so" "/proc/$TARGET_PID/maps"; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || fail "dlopen_late did not load $copy"
		sleep 0.05
	done
	"change_$name" "$copy"
	rr_run "$name" -b -p "$TARGET_PID" -d 1 --duration 2 --format csv -o "$name.csv"
	expect_rc 0
	csvq dump "$name.csv"
	csvq check "$name.csv" || fail "$name.csv is not a valid snapshot"
	top=$(csvq top "$name.csv" cpu-clock)
	[ "$top" = "dl_hot	lib-$name.so" ] ||
		fail "$name: the top row is '$top', expected dl_hot in lib-$name.so"
	assert_pct_above "$name.csv" cpu-clock dl_hot 50
	stop_target "$TARGET_PID"
}

change_deleted() {
	rm -f "$1"
	note "deleted $1"
}

change_truncated() {
	local end
	end=$(loaded_end "$1")
	truncate -s "$end" "$1"
	note "truncated $1 to $end bytes (the end of its last loaded segment)"
}

if [ "$(id -u)" = 0 ]; then
	run_case deleted
else
	note "not root: /proc/PID/map_files is closed to us, the deleted case is left out"
fi
run_case truncated
