#!/bin/bash
# cxx-demangle: C++ names are demangled: the top row of the cxx_templates
# target is rrs::hot_template<double>(double) (return type allowed in
# front), and the int instance is there under its own name.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source-path=SCRIPTDIR source=../setup.sh
. "${TESTS_SRCDIR:-$(dirname "$0")/..}/setup.sh"
require_perf
require_python

start_target cxx_templates 30
rr_run cxx -b -p "$TARGET_PID" --duration 2.5 --format csv -o cxx.csv
expect_rc 0
csvq dump cxx.csv
csvq check cxx.csv || fail "cxx.csv is not a valid snapshot"
top=$(csv_top cxx.csv cpu-clock)
note "top function: $top"
[[ $top =~ ^(double\ )?rrs::hot_template\<double\>\(double\)$ ]] ||
	fail "the top function is '$top', expected rrs::hot_template<double>(double)"
[ -n "$(csvq match cxx.csv cpu-clock '^(int )?rrs::hot_template<int>\(int\)$')" ] ||
	fail "no row for rrs::hot_template<int>(int)"
[ -n "$(csvq match cxx.csv cpu-clock '^main::\{lambda\(unsigned long\)#1\}::operator\(\)\(unsigned long\) const$')" ] ||
	fail "no row for the lambda, main::{lambda(unsigned long)#1}::operator()(unsigned long) const"
if grep -q '_ZN3rrs\|_ZZ4main' cxx.csv; then
	fail "a mangled name is left in the snapshot"
fi
