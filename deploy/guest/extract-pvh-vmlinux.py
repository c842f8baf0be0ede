#!/usr/bin/env python3
"""Turn a Debian bzImage into a small uncompressed ELF vmlinux that qemu boots through PVH.

qemu -kernel accepts an ELF vmlinux carrying the XEN_ELFNOTE_PHYS32_ENTRY note (CONFIG_PVH=y) and
then skips the bzImage decompressor, which under TCG costs ~15 s of a ~20 s boot. The payload is
found through the boot-protocol header (payload_offset/payload_length, protocol >= 2.08) and
decompressed (xz or gzip). To keep the file small, the zero tail of the last PT_LOAD (.bss) is
dropped from the file (p_filesz < p_memsz: the loader zero-fills it) and section headers are cut.
Usage: extract-pvh-vmlinux.py <bzImage> <out vmlinux>
"""
import gzip
import lzma
import struct
import sys


def fail(msg):
    sys.exit(f"extract-pvh-vmlinux: error: {msg}")


def payload(bz: bytes) -> bytes:
    if bz[0x202:0x206] != b"HdrS":
        fail("not a bzImage (no HdrS boot header)")
    version, = struct.unpack_from("<H", bz, 0x206)
    if version < 0x208:
        fail(f"boot protocol {version:#x} < 2.08 has no payload_offset")
    setup_sects = bz[0x1F1] or 4
    offset, length = struct.unpack_from("<II", bz, 0x248)
    data = bz[(setup_sects + 1) * 512 + offset:][:length]
    if data.startswith(b"\xfd7zXZ\x00"):
        return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data)
    if data.startswith(b"\x1f\x8b"):
        return gzip.decompress(data)
    fail(f"unsupported kernel compression (magic {data[:4].hex()}); only xz and gzip are handled")


def has_pvh_note(elf: bytes, phdrs) -> bool:
    for p_type, _, off, _, _, filesz, _, _ in phdrs:
        if p_type != 4:  # PT_NOTE
            continue
        pos, end = off, off + filesz
        while pos + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", elf, pos)
            name = elf[pos + 12:pos + 12 + namesz].rstrip(b"\0")
            if name == b"Xen" and ntype == 18:  # XEN_ELFNOTE_PHYS32_ENTRY
                return True
            pos += 12 + (namesz + 3) // 4 * 4 + (descsz + 3) // 4 * 4
    return False


def main():
    if len(sys.argv) != 3:
        fail("usage: extract-pvh-vmlinux.py <bzImage> <out vmlinux>")
    elf = bytearray(payload(open(sys.argv[1], "rb").read()))
    if elf[:4] != b"\x7fELF" or elf[4] != 2:
        fail("payload is not a 64-bit ELF")
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    fmt = "<IIQQQQQQ"
    phdrs = [list(struct.unpack_from(fmt, elf, phoff + i * phentsize)) for i in range(phnum)]
    if not has_pvh_note(elf, phdrs):
        fail("kernel has no PVH entry note (CONFIG_PVH is off): use the bzImage")
    loads = [i for i, p in enumerate(phdrs) if p[0] == 1]
    last = max(loads, key=lambda i: phdrs[i][2])
    off, filesz = phdrs[last][2], phdrs[last][5]
    end = off + filesz
    while end > off and elf[end - 1] == 0:
        end -= 1
    phdrs[last][5] = end - off
    for i, p in enumerate(phdrs):
        struct.pack_into(fmt, elf, phoff + i * phentsize, *p)
    struct.pack_into("<Q", elf, 0x28, 0)          # e_shoff
    struct.pack_into("<HHH", elf, 0x3A, 0, 0, 0)  # e_shentsize, e_shnum, e_shstrndx
    size = max(p[2] + p[5] for p in phdrs if p[0] in (1, 4))
    size = max(size, phoff + phnum * phentsize)
    with open(sys.argv[2], "wb") as f:
        f.write(elf[:size])


if __name__ == "__main__":
    main()
