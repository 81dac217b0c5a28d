#!/bin/sh
# One line for make fuzz from a harness's libFuzzer log: executions,
# coverage (cov: edges, ft: features), corpus size, and any crash.
name=$1 log=$2
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
cov=$(printf '%s\n' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
ft=$(printf '%s\n' "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
corp=$(printf '%s\n' "$last" | sed -n 's/.*corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p')
printf '%-9s %s execs (%s/s) cov: %s ft: %s corpus: %s\n' "$name" \
    "${runs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}"
if grep -qE '^==[0-9]+==ERROR|^SUMMARY: |deadly signal|ALARM: working on the last Unit' "$log"; then
	echo "$name: FOUND A PROBLEM:"
	grep -E '^==[0-9]+==ERROR|^SUMMARY: |Test unit written to' "$log" | head -n 5
fi
