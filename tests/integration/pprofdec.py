#!/usr/bin/env python3
"""pprofdec: decode a gzip-compressed pprof profile (profile.proto) field by
field, with no protobuf library, and check it against the csv snapshot of
the same counts (tests/integration/pprof.sh).

    pprofdec.py PROFILE --csv CSV [--binary NAME --build-id HEX]
        [--stacks] [--source FILE] [--start NS --end NS] [--default EVENT]
    pprofdec.py PROFILE --dump

Checks: the gzip stream; string_table[0] == ""; every id (mapping,
location, function, string) resolves; sample types two per event of the
csv (EVENT-samples/count, EVENT/its unit), values one per type; the
default sample type (one of the events' weights; EVENT's with --default),
the period type (the default's) and period; time_nanos and
duration_nanos within the run; the comments (header lines); build-ids
(every mapping of a file has one; NAME's is HEX); per event and per
function (the leaf's outermost function, as the csv names rows) the
samples equal the csv's, the weight shares its self_pct (and, with
--stacks, the shares of the stacks holding a function its total_pct);
with --source, the hottest function's locations have lines in FILE.
Exit status 0, or 1 with one line saying what differs.
"""
import argparse
import csv
import gzip
import sys

TIME_UNITS = {"cpu-clock": "nanoseconds", "task-clock": "nanoseconds",
              "wait-time": "nanoseconds"}


class Bad(Exception):
    pass


def varint(b, i):
    v = shift = 0
    while True:
        if i >= len(b):
            raise Bad("varint runs past the end")
        c = b[i]
        i += 1
        v |= (c & 0x7f) << shift
        if c < 0x80:
            return v, i
        shift += 7
        if shift >= 70:
            raise Bad("varint longer than 10 bytes")


def fields(b):
    """[(number, value)]: ints for varints, bytes for length-delimited."""
    out, i = [], 0
    while i < len(b):
        key, i = varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 2:
            n, i = varint(b, i)
            if i + n > len(b):
                raise Bad("field %d runs past the end" % num)
            v, i = b[i:i + n], i + n
        elif wt == 1:
            v, i = int.from_bytes(b[i:i + 8], "little"), i + 8
        elif wt == 5:
            v, i = int.from_bytes(b[i:i + 4], "little"), i + 4
        else:
            raise Bad("wire type %d" % wt)
        out.append((num, v))
    return out


def packed(v):
    """A repeated number field: packed bytes, or one varint."""
    if isinstance(v, int):
        return [v]
    out, i = [], 0
    while i < len(v):
        x, i = varint(v, i)
        out.append(x)
    return out


def s64(x):
    return x - (1 << 64) if x >= 1 << 63 else x


def msg(b, names, repeated=()):
    d = {k: [] for k in repeated}
    for num, v in fields(b):
        name = names.get(num)
        if name is None:
            continue
        if name in repeated:
            d[name].append(v)
        else:
            d[name] = v
    return d


def decode(path):
    raw = open(path, "rb").read()
    if raw[:2] != b"\x1f\x8b":
        raise Bad("not a gzip stream (magic %r)" % raw[:2])
    top = fields(gzip.decompress(raw))
    p = {"sample_type": [], "sample": [], "mapping": [], "location": [],
         "function": [], "string_table": [], "comment": []}
    for num, v in top:
        if num == 1:
            p["sample_type"].append(msg(v, {1: "type", 2: "unit"}))
        elif num == 2:
            s = {"location_id": [], "value": [], "label": []}
            for n2, v2 in fields(v):
                if n2 == 1:
                    s["location_id"] += packed(v2)
                elif n2 == 2:
                    s["value"] += [s64(x) for x in packed(v2)]
                elif n2 == 3:
                    s["label"].append(msg(v2, {1: "key", 2: "str", 3: "num"}))
            p["sample"].append(s)
        elif num == 3:
            p["mapping"].append(msg(v, {1: "id", 2: "memory_start",
                3: "memory_limit", 4: "file_offset", 5: "filename",
                6: "build_id", 7: "has_functions", 8: "has_filenames",
                9: "has_line_numbers", 10: "has_inline_frames"}))
        elif num == 4:
            loc = msg(v, {1: "id", 2: "mapping_id", 3: "address", 4: "line"},
                      ("line",))
            loc["line"] = [msg(l, {1: "function_id", 2: "line"})
                           for l in loc["line"]]
            p["location"].append(loc)
        elif num == 5:
            p["function"].append(msg(v, {1: "id", 2: "name",
                3: "system_name", 4: "filename", 5: "start_line"}))
        elif num == 6:
            p["string_table"].append(v.decode("utf-8", "replace"))
        elif num == 13:
            p["comment"] += packed(v)
        elif num in (9, 10, 12, 14):
            p[{9: "time_nanos", 10: "duration_nanos", 12: "period",
               14: "default_sample_type"}[num]] = v
        elif num == 11:
            p["period_type"] = msg(v, {1: "type", 2: "unit"})
    return p


class Profile:
    def __init__(self, p):
        self.p = p
        st = p["string_table"]
        if not st or st[0] != "":
            raise Bad("string_table[0] is %r, not \"\"" % (st[:1],))
        self.str = lambda i: self._str(i)
        self.maps = self.index("mapping")
        self.locs = self.index("location")
        self.funcs = self.index("function")
        for f in p["function"]:
            for k in ("name", "system_name", "filename"):
                self.str(f.get(k, 0))
        for m in p["mapping"]:
            self.str(m.get("filename", 0))
            self.str(m.get("build_id", 0))
        for l in p["location"]:
            mid = l.get("mapping_id", 0)
            if mid != 0 and mid not in self.maps:
                raise Bad("location %d: mapping %d does not exist" %
                          (l["id"], mid))
            if not l["line"]:
                raise Bad("location %d has no line" % l["id"])
            for ln in l["line"]:
                if ln.get("function_id", 0) not in self.funcs:
                    raise Bad("location %d: function %s does not exist" %
                              (l["id"], ln.get("function_id")))
        self.types = [(self.str(t.get("type", 0)), self.str(t.get("unit", 0)))
                      for t in p["sample_type"]]
        for s in p["sample"]:
            if len(s["value"]) != len(self.types):
                raise Bad("a sample has %d values for %d sample types" %
                          (len(s["value"]), len(self.types)))
            if not s["location_id"]:
                raise Bad("a sample has no location")
            for lid in s["location_id"]:
                if lid not in self.locs:
                    raise Bad("a sample's location %d does not exist" % lid)
            for lb in s["label"]:
                self.str(lb.get("key", 0))
                self.str(lb.get("str", 0))

    def _str(self, i):
        st = self.p["string_table"]
        if not 0 <= i < len(st):
            raise Bad("string index %d outside the table (%d)" % (i, len(st)))
        return st[i]

    def index(self, kind):
        d = {}
        for x in self.p[kind]:
            i = x.get("id", 0)
            if i == 0 or i in d:
                raise Bad("%s id %d is zero or repeated" % (kind, i))
            d[i] = x
        return d

    def outer(self, lid):
        """The function a location's code was compiled into (its last
        line: the others are inlined into it)."""
        f = self.funcs[self.locs[lid]["line"][-1]["function_id"]]
        return self.str(f.get("name", 0))

    def col(self, t):
        if t not in [x[0] for x in self.types]:
            raise Bad("no sample type %r (have %s)" % (t, self.types))
        return [x[0] for x in self.types].index(t)


def csv_rows(path):
    rows = list(csv.DictReader(open(path, newline="")))
    for r in rows:
        fn, b = r["function"], r["binary"]
        if fn == "[unknown]" and b != "[anon]":
            fn = "[%s]" % b
        r["name"] = fn
    return rows


def check(pr, rows, a):
    p = pr.p
    events = []
    for r in rows:
        if r["event"] not in events:
            events.append(r["event"])
    if not events:
        raise Bad("the csv has no rows")
    for e in events:
        unit = TIME_UNITS.get(e, "count")
        for want in ((e + "-samples", "count"), (e, unit)):
            if want not in pr.types:
                raise Bad("sample type %s/%s missing (have %s)" %
                          (want[0], want[1], pr.types))
    dflt = pr.str(p.get("default_sample_type", 0))
    if dflt not in events or (a.default and dflt != a.default):
        raise Bad("default_sample_type is %r (events %s, expected %s)" %
                  (dflt, events, a.default or "one of them"))
    pt = p.get("period_type", {})
    pt = (pr.str(pt.get("type", 0)), pr.str(pt.get("unit", 0)))
    if pt != (dflt, TIME_UNITS.get(dflt, "count")):
        raise Bad("period_type %r is not the default type's" % (pt,))
    if p.get("period", 0) <= 0:
        raise Bad("period %r is not positive" % p.get("period"))
    t0, d = p.get("time_nanos", 0), p.get("duration_nanos", 0)
    if a.start is not None and not a.start <= t0 <= a.end:
        raise Bad("time_nanos %d outside the run [%d, %d]" %
                  (t0, a.start, a.end))
    if a.start is not None and not 0 < d <= a.end - a.start:
        raise Bad("duration_nanos %d outside (0, %d]" %
                  (d, a.end - a.start))
    comments = [pr.str(c) for c in p["comment"]]
    for key in ("target: ", "event: " + events[0], "sampler: ", "window: "):
        if not any(c.startswith(key) for c in comments):
            raise Bad("no comment line starting %r in %s" % (key, comments))

    for m in p["mapping"]:
        fn = pr.str(m.get("filename", 0))
        if fn.startswith("/") and not pr.str(m.get("build_id", 0)):
            raise Bad("mapping %s has no build-id" % fn)
        if a.binary and fn.rsplit("/", 1)[-1] == a.binary:
            got = pr.str(m.get("build_id", 0))
            if a.build_id and got != a.build_id:
                raise Bad("mapping %s: build-id %s, readelf says %s" %
                          (fn, got, a.build_id))
    if a.binary and not any(pr.str(m.get("filename", 0)).endswith(
            "/" + a.binary) for m in p["mapping"]):
        raise Bad("no mapping of %s" % a.binary)

    deep = 0
    for e in events:
        cs, cw = pr.col(e + "-samples"), pr.col(e)
        want = {}
        for r in rows:
            if r["event"] == e and int(r["samples"]) > 0:
                want[r["name"]] = want.get(r["name"], 0) + int(r["samples"])
        got, weight, held = {}, {}, {}
        total_w = 0
        for s in p["sample"]:
            n, w = s["value"][cs], s["value"][cw]
            if n == 0 and w == 0:
                continue
            leaf = pr.outer(s["location_id"][0])
            got[leaf] = got.get(leaf, 0) + n
            weight[leaf] = weight.get(leaf, 0) + w
            total_w += w
            deep += len(s["location_id"]) > 1
            for f in set(pr.outer(l) for l in s["location_id"]):
                held[f] = held.get(f, 0) + w
        if sum(got.values()) != sum(want.values()):
            raise Bad("%s: %d samples in the profile, %d in the csv" %
                      (e, sum(got.values()), sum(want.values())))
        if got != want:
            diff = sorted(k for k in set(got) | set(want)
                          if got.get(k) != want.get(k))
            raise Bad("%s: samples differ for %s: profile %s, csv %s" %
                      (e, diff[:5], [got.get(k) for k in diff[:5]],
                       [want.get(k) for k in diff[:5]]))
        for r in rows:
            if r["event"] != e or r["name"] != r["function"] or total_w == 0:
                continue
            pct = 100.0 * weight.get(r["name"], 0) / total_w
            if abs(pct - float(r["self_pct"])) > 0.02:
                raise Bad("%s %s: self %.3f %% in the profile, %s in the csv" %
                          (e, r["name"], pct, r["self_pct"]))
            if a.stacks:
                pct = 100.0 * held.get(r["name"], 0) / total_w
                if abs(pct - float(r["total_pct"])) > 0.02:
                    raise Bad("%s %s: total %.3f %% in the profile, %s in "
                              "the csv" % (e, r["name"], pct, r["total_pct"]))
    if a.stacks and deep == 0:
        raise Bad("call graphs are on but every sample has one frame")
    if not a.stacks and deep != 0:
        raise Bad("%d samples have stacks without call graphs" % deep)

    if a.source:
        top = max((r for r in rows if r["event"] == events[0]),
                  key=lambda r: int(r["samples"]))
        ok = False
        for l in p["location"]:
            for ln in l["line"]:
                f = pr.funcs[ln["function_id"]]
                if (pr.str(f.get("name", 0)) == top["name"] and
                        pr.str(f.get("filename", 0)).endswith(a.source) and
                        ln.get("line", 0) > 0):
                    ok = True
        if not ok:
            raise Bad("no location of %s has a line in %s" %
                      (top["name"], a.source))
    return events


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("profile")
    ap.add_argument("--csv")
    ap.add_argument("--binary")
    ap.add_argument("--build-id")
    ap.add_argument("--stacks", action="store_true")
    ap.add_argument("--default")
    ap.add_argument("--source")
    ap.add_argument("--start", type=int)
    ap.add_argument("--end", type=int)
    ap.add_argument("--dump", action="store_true")
    a = ap.parse_args()
    try:
        pr = Profile(decode(a.profile))
        if a.dump:
            print("types", pr.types)
            for f in pr.p["function"]:
                print("function", f.get("id"), pr.str(f.get("name", 0)),
                      pr.str(f.get("filename", 0)), f.get("start_line", 0))
            for m in pr.p["mapping"]:
                print("mapping", m.get("id"), pr.str(m.get("filename", 0)),
                      pr.str(m.get("build_id", 0)),
                      hex(m.get("memory_limit", 0)))
            print("samples", len(pr.p["sample"]), "locations",
                  len(pr.p["location"]), "strings",
                  len(pr.p["string_table"]))
            return 0
        if not a.csv:
            ap.error("--csv is needed (or --dump)")
        events = check(pr, csv_rows(a.csv), a)
        print("pprofdec: %s: %d samples, %d locations, %d functions, "
              "%d mappings; events %s agree with %s" %
              (a.profile, len(pr.p["sample"]), len(pr.p["location"]),
               len(pr.p["function"]), len(pr.p["mapping"]),
               ",".join(events), a.csv))
        return 0
    except (Bad, OSError, EOFError, ValueError, KeyError) as e:
        print("pprofdec: %s: %s" % (a.profile, e), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
