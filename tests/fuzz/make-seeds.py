#!/usr/bin/env python3
"""Write the crafted seeds of the perfring and ehframe fuzz corpora.

perfring: the records a kernel writes into a CPU's ring (layouts of
perf_event_open(2) for the sample_type the perf sampler asks for), behind
fuzz_perfring.c's 4-byte header. ehframe: the .eh_frame_hdr and .eh_frame
of the ELF files named on the command line, behind fuzz_ehframe.c's
8-byte header. Usage: make-seeds.py CORPUS-DIR [ELF...]
"""
import os
import struct
import subprocess
import sys
import tempfile

SAMPLE, MMAP2, COMM, FORK, EXIT, LOST, THROTTLE, LOST_SAMPLES = 9, 10, 3, 7, 4, 2, 5, 13
MISC_KERNEL, MISC_USER, MISC_COMM_EXEC, MISC_MMAP_BUILD_ID = 1, 2, 0x2000, 0x4000
CTX_KERNEL, CTX_USER = 2**64 - 128, 2**64 - 512
NREGS = bin(0x0000000000ff01ff).count("1")
PID = 4242


def rec(type_, body, misc=0):
    body += b"\0" * (-len(body) % 8)
    return struct.pack("<IHH", type_, misc, 8 + len(body)) + body


def sample(id_, ip, tid=PID, time=1000, period=1000, chain=None, regs=None,
           stack=None, misc=MISC_USER):
    b = struct.pack("<QQIIQQ", id_, ip, PID, tid, time, period)
    if chain is not None:
        b += struct.pack("<Q", len(chain)) + b"".join(struct.pack("<Q", c) for c in chain)
    if regs is not None:
        b += struct.pack("<Q", 2) + b"".join(struct.pack("<Q", r) for r in regs)
    if stack is not None:
        b += struct.pack("<Q", len(stack)) + stack + struct.pack("<Q", len(stack))
    return rec(SAMPLE, b, misc)


def mmap2(addr, length, pgoff, path, pid=PID, prot=5):
    name = path.encode() + b"\0"
    b = struct.pack("<IIQQQIIQQII", pid, pid, addr, length, pgoff, 8, 2, 1234, 0, prot, 2)
    return rec(MMAP2, b + name + b"\0" * (-len(name) % 8) + struct.pack("<Q", 1))


def mmap2_id(addr, length, pgoff, path, build_id, size=None, pid=PID, prot=5):
    """An MMAP2 record with a build-id in place of device and inode
    (attr.build_id; PERF_RECORD_MISC_MMAP_BUILD_ID)."""
    name = path.encode() + b"\0"
    size = len(build_id) if size is None else size
    b = struct.pack("<IIQQQBBH", pid, pid, addr, length, pgoff, size, 0, 0) + \
        build_id.ljust(20, b"\0")[:20] + struct.pack("<II", prot, 2)
    return rec(MMAP2, b + name + b"\0" * (-len(name) % 8) + struct.pack("<Q", 1),
               MISC_USER | MISC_MMAP_BUILD_ID)


def side():
    # The exec's COMM first: the new image's mappings follow it.
    out = rec(COMM, struct.pack("<II", PID, PID) + b"app\0".ljust(16, b"\0"), MISC_COMM_EXEC)
    out += mmap2(0x400000, 0x1000, 0, "/nonexistent/app")
    out += mmap2(0x7f0000000000, 0x20000, 0x1000, "/nonexistent/lib (deleted)")
    out += mmap2(0x7f1000000000, 0x1000, 0, "//anon", prot=7)
    out += mmap2(0x7ffd00000000, 0x2000, 0, "[vdso]")
    out += rec(FORK, struct.pack("<IIIIQ", PID + 1, PID, PID + 1, PID, 5))
    out += rec(FORK, struct.pack("<IIIIQ", PID, PID, PID + 2, PID, 6))
    return out


def tail():
    out = rec(LOST, struct.pack("<QQ", 1, 17))
    out += rec(LOST_SAMPLES, struct.pack("<QQ", 3, 2))
    out += rec(THROTTLE, struct.pack("<QQQ", 1, 1, 1))
    out += rec(EXIT, struct.pack("<IIIIQ", PID + 1, PID, PID + 1, PID, 9))
    out += rec(99, b"unknown record")
    return out


def user_stack():
    """A stack copy whose frame pointers chain two frames."""
    sp = 0x7ffc00001000
    words = [0] * 32
    words[4] = sp + 8 * 12     # saved rbp -> next frame
    words[5] = 0x400123        # return address
    words[12] = 0              # outermost
    words[13] = 0x7f0000000456
    regs = [0] * NREGS
    regs[6] = sp + 8 * 4       # bp
    regs[7] = sp               # sp
    regs[8] = 0x400100         # ip
    return regs, b"".join(struct.pack("<Q", w) for w in words)


def perfring(d):
    os.makedirs(d, exist_ok=True)
    plain = side() + sample(1, 0x400010) + sample(2, 0x7f0000000100, tid=PID + 2) + \
        sample(3, 0xffffffff81000000, misc=MISC_KERNEL) + sample(77, 0x400020) + \
        sample(1, 0x7f1000000010) + sample(1, 0x7ffd00000500) + tail()
    write(d, "plain.bin", bytes([0, 127, 0, 0]) + plain)
    chain = [CTX_KERNEL, 0xffffffff81000010, 0xffffffff81000020, CTX_USER,
             0x400010, 0x7f0000000100, 0x400200]
    fp = side() + sample(1, 0x400010, chain=chain) + \
        sample(2, 0x400010, chain=[CTX_USER] + [0x400000 + i for i in range(40)]) + \
        sample(1, 0x400010, chain=[]) + tail()
    write(d, "fp.bin", bytes([1, 16, 0, 0]) + fp)
    regs, stack = user_stack()
    dw = side() + sample(1, 0x400100, chain=[CTX_KERNEL, 0xffffffff81000010],
                         regs=regs, stack=stack) + \
        sample(1, 0x400100, chain=[], regs=regs, stack=b"") + tail()
    write(d, "dwarf-fp.bin", bytes([2, 127, 3, 0]) + dw)
    write(d, "dwarf-cfi.bin", bytes([6, 127, 3, 0]) + dw)
    # A stream as long as the ring, starting 24 bytes before its end: the
    # records straddle the end and the header of one is split.
    n = 1
    while n < len(plain):
        n *= 2
    wrap = plain + rec(THROTTLE, b"\0" * (n - len(plain) - 8))
    write(d, "wrap.bin", bytes([0, 127, 0, (n - 24) // 8 % 256]) + wrap)
    # Copies of one library under fresh paths, told by build-id (one gone
    # already, one with a 16-byte id, one telling 21 bytes: malformed),
    # each replacing the last, with samples in each.
    lib_id = bytes(range(0xa0, 0xb4))
    copies = side()
    for i in range(4):
        path = "/nonexistent/copy-%d.so%s" % (i, " (deleted)" if i == 1 else "")
        copies += mmap2_id(0x7f2000000000, 0x4000, 0x1000, path, lib_id) + \
            sample(1, 0x7f2000000100 + i)
    copies += mmap2_id(0x7f3000000000, 0x1000, 0, "/nonexistent/md5.so", lib_id[:16]) + \
        sample(1, 0x7f3000000010)
    copies += mmap2_id(0x7f4000000000, 0x1000, 0, "/nonexistent/bad.so", lib_id, size=21) + \
        sample(2, 0x7f4000000010) + tail()
    write(d, "build-id.bin", bytes([0, 127, 0, 0]) + copies)
    bad = sample(1, 0x400010, chain=[2**40]) + rec(SAMPLE, b"\0" * 12) + \
        struct.pack("<IHH", SAMPLE, 0, 4) + sample(1, 0x400010)
    write(d, "malformed.bin", bytes([2, 8, 0, 0]) + bad)


def section(elf, name):
    with tempfile.NamedTemporaryFile() as t:
        r = subprocess.run(["objcopy", "-O", "binary", "--only-section=" + name, elf, t.name])
        if r.returncode != 0:
            return b""
        return open(t.name, "rb").read()


def ehframe(d, elfs):
    os.makedirs(d, exist_ok=True)
    for elf in elfs:
        hdr, eh = section(elf, ".eh_frame_hdr"), section(elf, ".eh_frame")
        base = os.path.basename(elf)
        # ptrsize 8, both sections, .eh_frame right after the header.
        write(d, base + ".bin", bytes([0, 0]) + struct.pack("<HHH", len(hdr), 0x6ac, 0) + hdr + eh)
        # .eh_frame alone: every FDE read in turn.
        write(d, base + "-nohdr.bin", bytes([2, 0]) + struct.pack("<HHH", 0, 0, 0x6e0) + eh)


def write(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


if __name__ == "__main__":
    perfring(os.path.join(sys.argv[1], "perfring"))
    ehframe(os.path.join(sys.argv[1], "ehframe"), sys.argv[2:])
