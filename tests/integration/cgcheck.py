#!/usr/bin/env python3
"""cgcheck: a snapshot of rrstat-top with call graphs (-g) against the call
tree of a tests/targets/callgraph* target, known by construction (the table
at the top of tests/targets/callgraph.c and callgraph_cxx.cc).

usage: cgcheck.py TREE FORMAT FILE [OPTION...]
  TREE     c (callgraph_*: main, outer, left, burn, right, recurse, via_lib,
           lib_work in libcg, lib_callback) or cxx (callgraph_cxx_*: main,
           cg::Worker<int>::run, cg::spin<int>, cg::Worker<long>::run,
           cg::spin<long>)
  FORMAT   csv     total_pct and self_pct of each function of the tree, the
                   binary of each row, total <= 100 under recursion
           folded  the stacks: root first, each stack of the construction
                   with its share (a line matches a stack when it holds the
                   stack's frames in a row, with no frame of the tree just
                   above or below them: the C library above main and the
                   kernel below the leaf are allowed), the lines that match
                   none, and each function's total (the lines that hold it,
                   once) and self (the lines that end in it)
           json    each function's total_pct and self_pct, and its callers
                   and callees with their shares of its total
           text    the last table of a text snapshot or of -b's output:
                   its header's `call graph:` line (--header), each
                   function's TOTAL% and SELF%, the order (--sorted-total)
  --binary NAME     the target's executable (base name): its functions' rows
                    must name it
  --names FILE      the target is a stripped copy: FILE is `nm -C` of the
                    unstripped twin (same addresses); frames named
                    NAME+0xSTART (NAME the --binary) are named from it, and
                    must be so named (no symbol of the tree found elsewhere)
  --max-stack N     the run had --max-stack N: every stack has at most N
                    frames, and the construction's stacks are cut to their N
                    frames nearest the leaf
  --event EV        the event to read (csv, json; default cpu-clock; '*' any)
  --tol PP          tolerance in percentage points (default 8)
  --min-samples N   fewer samples than N fail (default 300)
  --header REGEX    (text) the `call graph:` line's value matches REGEX
                    (re.fullmatch); a `truncated stacks N%` in it must be
                    at most TOL
  --sorted-total    (text) the rows are in decreasing order of TOTAL%
  --header-only     (text) only the header (a short run: no shares)

Tolerance: a share is checked within +-TOL points, widened to four standard
deviations of a share measured on that many samples where the share is of
a small part of the samples (a caller's share of one function's total, for
example): a correct profiler cannot then fail by chance (about 6e-5 per
check), and an unwinder that drops, adds or misplaces a frame moves 10 to
60 points.  Exit status 0 when every check holds, 1 otherwise (each failed
check on its own line).  It prints the measured figures beside the
construction's.
"""
import csv
import json
import math
import os
import re
import sys
from collections import defaultdict

# The construction: stacks below and including main, root first, with
# their share of the samples (%).  Names are canonical keys; NAMES maps a
# key to the regex that the name as the table shows it must match.
TREES = {
    "c": {
        "stacks": [
            (["main", "outer", "left", "burn"], 30),
            (["main", "outer", "right"], 20),
            (["main"] + ["recurse"] * 6, 30),
            (["main", "via_lib", "lib_work"], 10),
            (["main", "via_lib", "lib_work", "lib_callback"], 10),
        ],
        "names": {},
        "lib": {"lib_work": r"libcg(_fp)?\.so"},
        "helpers": ["cg_frame"],
    },
    "cxx": {
        "stacks": [
            (["main", "Worker<int>::run", "spin<int>"], 60),
            (["main", "Worker<long>::run"], 20),
            (["main", "Worker<long>::run", "spin<long>"], 20),
        ],
        "names": {
            "Worker<int>::run": r"cg::Worker<int>::run\(unsigned long\)",
            "Worker<long>::run": r"cg::Worker<long>::run\(unsigned long\)",
            "spin<int>": r"(void )?cg::spin<int>\(unsigned long\)",
            "spin<long>": r"(void )?cg::spin<long>\(unsigned long\)",
        },
        "lib": {},
        "helpers": ["cg::frame()"],
    },
}

failures = []


def fail(msg, quiet=False):
    failures.append(msg)
    if not quiet:
        print("  FAIL " + msg)


def tol_for(opts, want, n):
    """TOL, or four standard deviations of a share WANT (%) of N samples."""
    p = min(max(want / 100.0, 0.0), 1.0)
    sd = 100.0 * math.sqrt(p * (1 - p) / n) if n > 0 else 100.0
    return max(opts["tol"], 4 * sd)


def check_share(opts, what, got, want, n):
    t = tol_for(opts, want, n)
    ok = abs(got - want) <= t
    print("  %-52s %7.2f %%  expected %5.1f +- %.1f  (of %d)%s"
          % (what, got, want, t, n, "" if ok else "   <-- FAIL"))
    if not ok:
        fail("%s is %.2f %%, expected %.1f +- %.1f" % (what, got, want, t), quiet=True)


def cut(stacks, n):
    """The stacks cut to their N frames nearest the leaf, merged."""
    if not n:
        return stacks
    out = defaultdict(float)
    for frames, share in stacks:
        out[tuple(frames[-n:])] += share
    return [(list(k), v) for k, v in out.items()]


def expect(stacks):
    """Total, self, callers and callees (of each function's total) of STACKS."""
    total, self_ = defaultdict(float), defaultdict(float)
    callers = defaultdict(lambda: defaultdict(float))
    callees = defaultdict(lambda: defaultdict(float))
    for frames, share in stacks:
        self_[frames[-1]] += share
        for f in set(frames):
            total[f] += share
            i = frames.index(f)	# the outermost occurrence (root first)
            callers[f][frames[i - 1] if i > 0 else None] += share
            callees[f][frames[i + 1] if i + 1 < len(frames) else "[self]"] += share
    return total, self_, callers, callees


class Namer:
    """Turns names as rrstat-top writes them into the tree's keys."""

    def __init__(self, tree, opts):
        self.tree = tree
        self.binary = opts.get("binary")
        self.names = {}
        self.stripped = opts.get("names") is not None
        self.raw_tree_names = []	# tree names met as such in a stripped binary
        if self.stripped:
            for line in open(opts["names"]):
                m = re.match(r"([0-9a-fA-F]+)\s+[A-Za-z]\s+(.+)$", line.rstrip("\n"))
                if m:
                    self.names.setdefault(int(m.group(1), 16), m.group(2))
        self.rx = [(k, re.compile(v)) for k, v in tree["names"].items()]
        self.keys = {f for frames, _ in tree["stacks"] for f in frames}

    def key(self, name):
        """The tree's key for NAME, or NAME itself."""
        m = re.fullmatch(r"(.+)\+0x([0-9a-fA-F]+)", name)
        if self.stripped and m and os.path.basename(m.group(1)) == self.binary:
            real = self.names.get(int(m.group(2), 16))
            if real is None:
                return name
            name = real
        elif self.stripped and self.plain_key(name) in self.keys \
                and self.plain_key(name) not in self.tree["lib"]:
            self.raw_tree_names.append(name)
        return self.plain_key(name)

    def plain_key(self, name):
        for k, rx in self.rx:
            if rx.fullmatch(name):
                return k
        return name


def check_stripped(namer):
    if namer.stripped and namer.raw_tree_names:
        fail("the stripped binary's functions are named %s: symbols came from somewhere"
             % ", ".join(sorted(set(namer.raw_tree_names))[:5]))


def check_min(opts, n):
    print("  samples: %d" % n)
    if n < opts["min_samples"]:
        fail("only %d samples: too few to judge shares within %g points (at least %d needed)"
             % (n, opts["tol"], opts["min_samples"]))
        return False
    return True


def check_functions(opts, tree, rows, n, stacks):
    """ROWS: key -> list of (binary, total, self).  The shares of each function."""
    total, self_, _, _ = expect(stacks)
    for f in sorted(total, key=lambda f: -total[f]):
        got = rows.get(f, [])
        if not got:
            fail("no row for %s (expected total %.0f %%, self %.0f %%)" % (f, total[f], self_[f]))
            continue
        if len(got) > 1:
            fail("%d rows for %s: %s" % (len(got), f, ", ".join(b for b, _, _ in got)))
        binary, t, s = got[0]
        want_bin = tree["lib"].get(f)
        base = os.path.basename(binary or "")
        if want_bin and not re.fullmatch(want_bin, base):
            fail("%s is in binary %r, expected %s" % (f, binary, want_bin))
        elif not want_bin and opts.get("binary") and base != opts["binary"]:
            fail("%s is in binary %r, expected %s" % (f, binary, opts["binary"]))
        if t is None:
            fail("%s has no total" % f)
        else:
            check_share(opts, "%s total" % f, t, total[f], n)
            if t > 100.0001:
                fail("%s total %.2f %% is above 100 (counted more than once per sample?)" % (f, t))
        check_share(opts, "%s self" % f, s, self_[f], n)


def num(s):
    s = (s or "").strip().rstrip("%").strip()
    return float(s) if s else None


def do_csv(path, tree, opts, namer, stacks):
    with open(path, newline="") as fh:
        table = list(csv.reader(fh, strict=True))
    head = [h.strip() for h in table[0]]
    for col in ("event", "binary", "function", "samples", "self_pct", "total_pct"):
        if col not in head:
            fail("%s: no %s column" % (path, col))
            return
    rows = [dict(zip(head, t)) for t in table[1:] if t]
    ev = opts["event"]
    rows = [r for r in rows if ev == "*" or r["event"] == ev]
    if not rows:
        fail("%s: no rows for event %s" % (path, ev))
        return
    # The number of samples: from a row whose self and total are the same
    # (a leaf only), samples / share, whichever the samples column counts.
    n = 0
    for r in rows:
        s, t, c = num(r["self_pct"]), num(r["total_pct"]), num(r["samples"])
        if s and t is not None and abs(s - t) < 0.5 and c and s > 5:
            n = max(n, int(round(c * 100 / s)))
    if not n:
        n = int(sum(num(r["samples"]) or 0 for r in rows))
    check_min(opts, n)
    by = defaultdict(list)
    for r in rows:
        t, s = num(r["total_pct"]), num(r["self_pct"]) or 0.0
        if t is not None and (t > 100.0001 or t < s - 0.01):
            fail("%s;%s: total %.2f %% is above 100 or below its self %.2f %%"
                 % (r["binary"], r["function"], t, s))
        by[namer.key(r["function"])].append((r["binary"], t, s))
    check_stripped(namer)
    check_functions(opts, tree, by, n, stacks)


def read_folded(path, namer):
    lines = []
    for i, l in enumerate(open(path).read().splitlines(), 1):
        if not l.strip():
            continue
        m = re.fullmatch(r"(.+) ([0-9]+)", l)
        if not m:
            fail("%s:%d: %r is not 'frame;frame COUNT'" % (path, i, l))
            continue
        frames = m.group(1).split(";")
        if any(not f for f in frames):
            fail("%s:%d: an empty frame in %r" % (path, i, l))
        lines.append(([namer.key(f) for f in frames], int(m.group(2)), m.group(1)))
    return lines


def match_at(frames, stack, known):
    """Whether FRAMES hold STACK in a row with no frame of KNOWN around it."""
    k = len(stack)
    for i in range(len(frames) - k + 1):
        if frames[i:i + k] != stack:
            continue
        if i > 0 and frames[i - 1] in known:
            continue
        if i + k < len(frames) and frames[i + k] in known:
            continue
        return True
    return False


def do_folded(path, tree, opts, namer, stacks):
    lines = read_folded(path, namer)
    check_stripped(namer)
    n = sum(c for _, c, _ in lines)
    if not check_min(opts, n):
        return
    if any("_Z" in raw for _, _, raw in lines):
        fail("a mangled name is left in the stacks")
    known = namer.keys
    maxs = opts.get("max_stack")
    if maxs:
        deep = [(raw, c) for frames, c, raw in lines if len(frames) > maxs]
        if deep:
            fail("%d lines have more than %d frames (--max-stack %d), the first: %s"
                 % (len(deep), maxs, maxs, deep[0][0]))
        print("  deepest stack: %d frames" % max(len(f) for f, _, _ in lines))
    # Each stack of the construction, of all samples and of its parent's.
    matched = 0
    for stack, share in stacks:
        got = sum(c for frames, c, _ in lines if match_at(frames, stack, known))
        matched += got
        check_share(opts, ";".join(stack), 100.0 * got / n, share, n)
    check_share(opts, "lines matching no stack of the construction", 100.0 * (n - matched) / n, 0, n)
    # outer's split (left 60 %, right 40 %), or the first fork of the tree,
    # as a share of the fork's own samples.
    total, _, _, callees = expect(stacks)
    for f in sorted(total, key=lambda f: -total[f]):
        kids = {k: v for k, v in callees[f].items() if k != "[self]"}
        if len(kids) < 2 or f == "main":
            continue
        nf = sum(c for frames, c, _ in lines if f in frames)
        for kid, share in sorted(kids.items()):
            got = sum(c for frames, c, _ in lines
                      if f in frames and frames.index(f) + 1 < len(frames)
                      and frames[frames.index(f) + 1] == kid)
            check_share(opts, "%s;%s, of %s's samples" % (f, kid, f),
                        100.0 * got / nf if nf else 0.0, 100.0 * share / total[f], nf)
    # Each function's total (lines that hold it, counted once) and self.
    rows = {}
    for f in total:
        t = sum(c for frames, c, _ in lines if f in frames)
        s = sum(c for frames, c, _ in lines if frames[-1] == f)
        rows[f] = [(None, 100.0 * t / n, 100.0 * s / n)]
    saved = opts.get("binary")
    opts["binary"] = None	# folded lines do not name binaries
    lib = tree["lib"]
    tree = dict(tree, lib={})
    check_functions(opts, tree, rows, n, stacks)
    opts["binary"] = saved
    for f in lib:
        if not any(f in frames for frames, _, _ in lines):
            fail("no stack holds %s" % f)


def do_json(path, tree, opts, namer, stacks):
    d = json.load(open(path))
    evs = [e for e in d.get("events", []) if opts["event"] in ("*", e.get("name"))]
    if len(evs) != 1:
        fail("%s: %d events named %s" % (path, len(evs), opts["event"]))
        return
    ev = evs[0]
    n = ev.get("samples", 0)
    if not check_min(opts, n):
        return
    by = defaultdict(list)
    funcs = {}
    for f in ev.get("functions", []):
        k = namer.key(f.get("function", ""))
        by[k].append((f.get("binary"), f.get("total_pct"), f.get("self_pct") or 0.0))
        funcs.setdefault(k, f)
    check_stripped(namer)
    check_functions(opts, tree, by, n, stacks)
    total, _, callers, callees = expect(stacks)
    for f in sorted(total, key=lambda f: -total[f]):
        fn = funcs.get(f)
        if fn is None:
            continue
        nf = int(round(n * total[f] / 100.0))
        for kind, want in (("callers", callers[f]), ("callees", callees[f])):
            lst = fn.get(kind)
            if not isinstance(lst, list):
                fail("%s has no %s list" % (f, kind))
                continue
            got = defaultdict(float)
            for e in lst:
                if not isinstance(e, dict) or not {"binary", "function", "samples", "pct"} <= set(e):
                    fail("%s: a %s entry lacks binary, function, samples or pct: %r" % (f, kind, e))
                    continue
                got[namer.key(e["function"])] += float(e["pct"])
            s = sum(got.values())
            if lst and abs(s - 100) > 3:
                fail("%s: the %s' pct add up to %.2f, not 100" % (f, kind, s))
            for other, share in sorted(want.items(), key=lambda kv: str(kv[0])):
                if other is None:
                    continue	# above main: the C library, or [root]
                check_share(opts, "%s %s: %s" % (f, kind, other), got.get(other, 0.0),
                            100.0 * share / total[f], nf)


def do_text(path, tree, opts, namer, stacks):
    text = open(path).read().split("\n")
    heads = [i for i, l in enumerate(text) if "SELF%" in l and "FUNCTION" in l]
    if not heads:
        fail("%s: no table" % path)
        return
    h = heads[-1]
    top = heads[-2] + 1 if len(heads) > 1 else 0
    head = {}
    for l in text[top:h]:
        m = re.match(r"([a-z][a-z _-]*):\s?(.*)$", l)
        if m:
            head[m.group(1)] = m.group(2)
    cgl = head.get("call graph")
    print("  call graph: %s" % cgl)
    if cgl is None:
        fail("the table's header has no 'call graph:' line")
    elif opts.get("header") and not re.fullmatch(opts["header"], cgl):
        fail("'call graph: %s' does not match /%s/" % (cgl, opts["header"]))
    if cgl:
        m = re.search(r"truncated stacks ([0-9.]+) ?%", cgl)
        if m and float(m.group(1)) > opts["tol"]:
            fail("%s %% of the stacks are truncated (at most %g expected)" % (m.group(1), opts["tol"]))
    m = re.match(r"\s*([0-9]+)", head.get("samples", ""))
    n = int(m.group(1)) if m else 0
    if not opts.get("tree_checks", True):
        n = max(n, opts["min_samples"])
    if not check_min(opts, n):
        return
    cols = text[h]
    pcts = [w for w in cols.split() if w.endswith("%")]
    if "SELF%" not in pcts or "TOTAL%" not in pcts:
        fail("the table has no SELF% and TOTAL% columns: %r" % cols)
        return
    at_bin, at_fn = cols.find("BINARY"), cols.find("FUNCTION")
    by, order = defaultdict(list), []
    for l in text[h + 1:]:
        if not l.strip():
            break
        vals = re.findall(r"(?<!\S)([0-9.]+)%(?!\S)", l[:at_bin] if at_bin > 0 else l)
        if len(vals) < len(pcts):
            fail("row %r has not a share in each of %s" % (l, " ".join(pcts)))
            continue
        v = dict(zip(pcts, (float(x) for x in vals)))
        binary = l[at_bin:at_fn].strip() if 0 <= at_bin < at_fn else ""
        fn = l[at_fn:].strip()
        order.append((fn, v["TOTAL%"]))
        by[namer.key(fn)].append((binary, v["TOTAL%"], v["SELF%"]))
    check_stripped(namer)
    if opts.get("sorted_total"):
        for (f1, t1), (f2, t2) in zip(order, order[1:]):
            if t2 > t1 + 0.005:
                fail("sorted by total, %s (%.2f %%) is below %s (%.2f %%)" % (f2, t2, f1, t1))
                break
        print("  sorted by TOTAL%%: %s" % ", ".join("%s %.1f" % x for x in order[:6]))
    if opts.get("tree_checks", True):
        check_functions(opts, tree, by, n, stacks)


def main(argv):
    if len(argv) < 4 or argv[1] not in TREES or argv[2] not in ("csv", "folded", "json", "text"):
        sys.exit(__doc__)
    tree, fmt, path = TREES[argv[1]], argv[2], argv[3]
    opts = {"tol": 8.0, "min_samples": 300, "event": "cpu-clock"}
    args = argv[4:]
    while args:
        a = args.pop(0)
        if a in ("--binary", "--names", "--max-stack", "--event", "--tol", "--min-samples",
                 "--header") and args:
            v = args.pop(0)
            key = a[2:].replace("-", "_")
            opts[key] = v if key in ("binary", "names", "event", "header") else float(v)
        elif a == "--sorted-total":
            opts["sorted_total"] = True
        elif a == "--header-only":
            opts["tree_checks"] = False
        else:
            sys.exit("cgcheck: unknown argument %r\n%s" % (a, __doc__))
    if opts.get("max_stack"):
        opts["max_stack"] = int(opts["max_stack"])
    stacks = cut(tree["stacks"], opts.get("max_stack"))
    namer = Namer(tree, opts)
    print("%s: %s, the %s call tree%s" % (path, fmt, argv[1],
          ", cut to %d frames" % opts["max_stack"] if opts.get("max_stack") else ""))
    {"csv": do_csv, "folded": do_folded, "json": do_json, "text": do_text}[fmt](
        path, tree, opts, namer, stacks)
    if failures:
        print("%s: %d checks failed:" % (path, len(failures)))
        for f in failures:
            print("    " + f)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
