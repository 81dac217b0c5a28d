#!/usr/bin/env python3
"""perf2rr: perf's own call graph profile in rrstat-top's snapshot formats,
to check the call graph targets (and cgcheck.py) against perf itself, and
to compare the two profilers (tests/bench/compare-perf-g.sh).

usage: perf script -i perf.data --no-demangle -F comm,tid,period,ip,sym,dso |
           perf2rr.py FORMAT [COMM]
  FORMAT  folded  one line per distinct stack, root first, COUNT samples
          csv     event,binary,function,samples,self_pct,total_pct,address
                  (samples = self samples; total counted once per sample)
          json    {"events":[{"name","samples","lost","functions":[{...,
                  "callers":[...],"callees":[...]}]}]} as cg.md describes
  COMM    keep only the samples of threads named COMM (perf's comm, 15
          characters at most)
Names are demangled with c++filt (parameters kept, as rrstat-top shows
them); perf's inlined frames ("(inlined)") are left out, as rrstat-top
shows the function that holds the code; a frame with no symbol is
[BINARY].  The event is named cpu-clock.
"""
import json
import os
import re
import subprocess
import sys
from collections import defaultdict


def demangle(names):
    """NAME -> demangled NAME, through one c++filt."""
    todo = sorted({n for n in names if n.startswith("_Z")})
    if not todo:
        return {}
    try:
        out = subprocess.run(["c++filt"], input="\n".join(todo) + "\n", capture_output=True,
                             text=True, check=True).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return {}
    return dict(zip(todo, out))


def read_samples(stream, comm):
    samples = []	# [(count, [(binary, name) leaf first])]
    cur = None
    for line in stream:
        line = line.rstrip("\n")
        if not line.strip():
            continue
        if not line[0].isspace():
            m = re.match(r"(.*?)\s+(\d+)\s+(\d+)\s*(.*)$", line)
            keep = m is not None and (comm is None or m.group(1).strip() == comm[:15])
            cur = [] if keep else None
            if cur is not None:
                samples.append((1, cur))
            continue
        if cur is None:
            continue
        m = re.match(r"\s*([0-9a-f]+)\s+(.*?)\s+\((.*)\)$", line)
        if not m:
            m2 = re.match(r"\s*([0-9a-f]+)\s+(.*?)\s*\(inlined\)$", line)
            if m2 or line.strip().endswith("(inlined)"):
                continue
            continue
        sym, dso = m.group(2), m.group(3)
        if dso == "inlined" or sym.endswith(" (inlined)"):
            continue
        if dso.startswith("[kernel"):
            binary = "[kernel]"
        else:
            binary = os.path.basename(dso)
        if sym in ("[unknown]", ""):
            sym = None
        cur.append((binary, sym))
    return [(c, f) for c, f in samples if f]


def main(argv):
    if len(argv) < 2 or argv[1] not in ("folded", "csv", "json"):
        sys.exit(__doc__)
    fmt, comm = argv[1], (argv[2] if len(argv) > 2 else None)
    samples = read_samples(sys.stdin, comm)
    dm = demangle(n for _, fr in samples for _, n in fr if n)
    stacks = []
    for c, fr in samples:
        st = []
        for binary, name in reversed(fr):	# root first
            st.append((binary, dm.get(name, name) if name else "[%s]" % binary))
        stacks.append((c, st))
    n = sum(c for c, _ in stacks)
    if fmt == "folded":
        agg = defaultdict(int)
        for c, st in stacks:
            agg[";".join(name for _, name in st)] += c
        for k, v in sorted(agg.items(), key=lambda kv: -kv[1]):
            print("%s %d" % (k, v))
        return 0
    self_, total = defaultdict(int), defaultdict(int)
    callers = defaultdict(lambda: defaultdict(int))
    callees = defaultdict(lambda: defaultdict(int))
    for c, st in stacks:
        self_[st[-1]] += c
        seen = set()
        for i, fr in enumerate(st):
            if fr in seen:
                continue
            seen.add(fr)
            total[fr] += c
            callers[fr][st[i - 1] if i > 0 else ("", "[root]")] += c
            callees[fr][st[i + 1] if i + 1 < len(st) else ("", "[self]")] += c
    keys = sorted(total, key=lambda k: (-self_[k], -total[k]))
    if fmt == "csv":
        print("event,binary,function,samples,self_pct,total_pct,address")
        for b, f in keys:
            q = '"%s"' % f.replace('"', '""') if re.search(r'[,"]', f) else f
            print("cpu-clock,%s,%s,%d,%.2f,%.2f," % (b, q, self_[(b, f)],
                  100.0 * self_[(b, f)] / n, 100.0 * total[(b, f)] / n))
        return 0
    funcs = []
    for k in keys:
        def entries(d):
            return [{"binary": b, "function": f, "samples": v, "pct": 100.0 * v / total[k]}
                    for (b, f), v in sorted(d.items(), key=lambda kv: -kv[1])]
        funcs.append({"binary": k[0], "function": k[1], "samples": self_[k],
                      "self_pct": 100.0 * self_[k] / n, "total_pct": 100.0 * total[k] / n,
                      "address": None, "lines": [], "callers": entries(callers[k]),
                      "callees": entries(callees[k])})
    json.dump({"target": "perf", "events": [{"name": "cpu-clock", "samples": n, "lost": 0,
                                             "functions": funcs}]}, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
