#!/usr/bin/env python3
"""Diff calemu's register tables against caliptra-rtl's generated UVM register models.

    tools/check_regmap.py --rtl /path/to/caliptra-rtl --calemu build/calemu --hw 1.x
    tools/check_regmap.py --rtl /path/to/caliptra-rtl-2.1 --abr /path/to/adams-bridge --hw 2.1

caliptra-rtl's *_uvm.sv files are generated from the RDL by PeakRDL: each register class
lists its fields with (width, lsb, access, reset), and each block's build() maps registers
at offsets. This script reads them, reads `calemu regmap --hw X --json`, and reports every
register whose offset, array length, reset value or per-bit access differs. Exit status 1 if
anything differs. Nothing from caliptra-rtl is copied into calemu; it is only read here.

For 2.x, --rtl is a caliptra-rtl 2.0.x / 2.1.x checkout and --abr a chipsalliance/adams-bridge
checkout at the commit that caliptra-rtl pins in submodules/adams-bridge (its mldsa_reg /
abr_reg UVM model; caliptra-rtl's tree does not carry it). Blocks made of an OpenTitan core
and a Caliptra wrapper (AES, SHA3/KMAC) are compared on the wrapper's part here; the OpenTitan
register sets (and CSRNG, ENTROPY_SRC) have no UVM model and are checked against their RDL by
tests/caliptra/regmap_rtl_test.cpp.
"""
import argparse
import json
import os
import re
import subprocess
import sys

# calemu block name -> (uvm file relative to the rtl checkout, uvm block class prefix)
BLOCKS_1X = {
    'soc_ifc_reg': ('src/soc_ifc/rtl/soc_ifc_reg_uvm.sv', 'soc_ifc_reg'),
    'mbox_csr': ('src/soc_ifc/rtl/mbox_csr_uvm.sv', 'mbox_csr'),
    'sha512_acc_csr': ('src/soc_ifc/rtl/sha512_acc_csr_uvm.sv', 'sha512_acc_csr'),
    'doe_reg': ('src/doe/rtl/doe_reg_uvm.sv', 'doe_reg'),
    'ecc_reg': ('src/ecc/rtl/ecc_reg_uvm.sv', 'ecc_reg'),
    'hmac_reg': ('src/hmac/rtl/hmac_reg_uvm.sv', 'hmac_reg'),
    'kv_reg': ('src/keyvault/rtl/kv_reg_uvm.sv', 'kv_reg'),
    'pv_reg': ('src/pcrvault/rtl/pv_reg_uvm.sv', 'pv_reg'),
    'dv_reg': ('src/datavault/rtl/dv_reg_uvm.sv', 'dv_reg'),
    'sha512_reg': ('src/sha512/rtl/sha512_reg_uvm.sv', 'sha512_reg'),
    'sha256_reg': ('src/sha256/rtl/sha256_reg_uvm.sv', 'sha256_reg'),
}

# 2.x: the same PeakRDL blocks (2.x RDL), the AXI DMA, the Caliptra halves of AES and SHA3
# (name prefix, offset inside the calemu block), and Adams Bridge from the adams-bridge tree.
BLOCKS_2X = dict(BLOCKS_1X)
BLOCKS_2X.update({
    'axi_dma_reg': ('src/axi/rtl/axi_dma_reg_uvm.sv', 'axi_dma_reg'),
    'aes': ('src/aes/rtl/aes_clp_reg_uvm.sv', 'aes_clp_reg', 'aes_clp_reg.', 0x800),
    'kmac_reg': ('src/sha3/rtl/sha3_reg_uvm.sv', 'sha3_reg', 'sha3_reg.', 0x1000),
})
ABR_BLOCKS = {
    'mldsa_reg': ('src/mldsa_top/rtl/mldsa_reg_uvm.sv', 'mldsa_reg'),  # 2.0
    'abr_reg': ('src/abr_top/rtl/abr_reg_uvm.sv', 'abr_reg'),          # 2.1
}
OPENTITAN = {'csrng', 'entropy_src'}

# Windows the RDL declares that calemu's tables leave out, with the reason.
RTL_ONLY = {
    # sha3_ctrl.sv ties sha3_reg's copies of STATE and MSG_FIFO off (hwif_in = '0, so no
    # rd_ack/wr_ack: an access never completes); the real windows are in the KMAC part.
    ('kmac_reg', 'state'), ('kmac_reg', 'msg_fifo'),
}

# Registers whose UVM access differs from what software can do, because a hardware
# write-enable or a special field kind (rset/woclr) decides; calemu models the behaviour.
EFFECTIVE_ACCESS = {
    ('mbox_csr', 'mbox_dataout'),     # sw=rw but swwe is tied to 0 in mbox.sv: read-only
    ('sha512_acc_csr', 'LOCK'),       # rset + woclr: read to acquire, write 1 to release
}

FIELD_RE = re.compile(r'this\.(\w+)\.configure\(this,\s*(\d+),\s*(\d+),\s*"(\w+)",\s*\d+,\s*\'h([0-9a-fA-F]+)')
CLASS_RE = re.compile(r'class\s+(\w+)\s+extends\s+uvm_reg\b')
BLOCK_RE = re.compile(r'class\s+(\w+)\s+extends\s+uvm_reg_block\b')
DECL_RE = re.compile(r'rand\s+(\w+)\s+(\w+)(\[(\d+)\])?(\[(\d+)\])?\s*;')
ADDREG_RE = re.compile(r"add_reg\(this\.(\w+)(\[i0\])?(\[i1\])?,\s*'h([0-9a-fA-F]+)")
SUBMAP_RE = re.compile(r"add_submap\(this\.(\w+)\.default_map,\s*'h([0-9a-fA-F]+)\)")
# An external memory: a block whose only content is m_mem (PeakRDL "Mem"), N 32-bit words.
MEM_RE = re.compile(r'this\.m_mem\s*=\s*new\("m_mem",\s*(\d+),\s*32,\s*"(\w+)"\)')


def parse_uvm(text):
    regs = {}  # class -> list of fields
    for m in CLASS_RE.finditer(text):
        body = text[m.end():text.find('endclass', m.end())]
        regs[m.group(1)] = [(f[0], int(f[1]), int(f[2]), f[3], int(f[4], 16)) for f in FIELD_RE.findall(body)]
    blocks = {}
    for m in BLOCK_RE.finditer(text):
        body = text[m.end():text.find('endclass', m.end())]
        # Arrays of one or two dimensions (kv KEY_ENTRY[32][12]) are flattened: count = product.
        decls = {d[1]: (d[0], (int(d[3]) if d[3] else 1) * (int(d[5]) if d[5] else 1)) for d in DECL_RE.findall(body)}
        placed = []
        for a in ADDREG_RE.findall(body):
            placed.append((a[0], int(a[3], 16)))
        subs = [(s[0], int(s[1], 16)) for s in SUBMAP_RE.findall(body)]
        mem = MEM_RE.search(body)
        blocks[m.group(1)] = (decls, placed, subs, (int(mem.group(1)), mem.group(2)) if mem else None)
    return regs, blocks


def flatten(regs, blocks, block_class, prefix='', base=0):
    out = {}
    decls, placed, subs, _ = blocks[block_class]
    for name, off in placed:
        cls, count = decls[name]
        out[(prefix + name).lower()] = (base + off, count, regs.get(cls, []))
    for name, off in subs:
        cls, _ = decls[name]
        mem = blocks[cls][3]
        if mem:  # one array of words
            out[(prefix + name).lower()] = (base + off, mem[0], [('m_mem', 32, 0, mem[1], 0)])
        else:
            out.update(flatten(regs, blocks, cls, prefix + name + '.', base + off))
    return out


def masks(fields):
    acc = {'rw': 0, 'w1c': 0, 'w1s': 0, 'ro': 0, 'wo': 0}
    reset = 0
    for _, width, lsb, access, rst in fields:
        m = ((1 << width) - 1) << lsb
        reset |= (rst << lsb) & m
        a = access.upper()
        key = {'RW': 'rw', 'W1C': 'w1c', 'W1S': 'w1s', 'RO': 'ro', 'WO': 'wo', 'W1': 'wo', 'RC': 'ro',
               'RS': 'ro', 'WRC': 'rw', 'W1SRC': 'w1s', 'WOC': 'w1c', 'WOS': 'w1s'}.get(a, 'rw')
        acc[key] |= m
    return reset, acc


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--rtl', required=True, help='caliptra-rtl checkout (tag v1.1 for --hw 1.x, 2.0.x / 2.1.x for 2.x)')
    ap.add_argument('--abr', help='adams-bridge checkout at the commit caliptra-rtl pins (2.x)')
    ap.add_argument('--calemu', default='build/calemu')
    ap.add_argument('--hw', default='1.x')
    args = ap.parse_args()
    ours = json.loads(subprocess.run([args.calemu, 'regmap', '--hw', args.hw, '--json'], check=True,
                                     capture_output=True, text=True).stdout)
    problems = 0
    table = BLOCKS_1X if args.hw == '1.x' else BLOCKS_2X
    for blk in ours['blocks']:
        root = args.rtl
        spec = table.get(blk['name'])
        if blk['name'] in ABR_BLOCKS:
            spec, root = ABR_BLOCKS[blk['name']], args.abr
            if not root:
                print(f"-- {blk['name']}: give --abr (an adams-bridge checkout) to compare it")
                continue
        if not spec:
            why = 'OpenTitan RDL, see regmap_rtl_test.cpp' if blk['name'] in OPENTITAN else 'no RTL model'
            print(f"-- {blk['name']}: not compared here ({why})")
            continue
        path = os.path.join(root, spec[0])
        if not os.path.exists(path):
            print(f"-- {blk['name']}: {path} missing")
            continue
        regs, blocks = parse_uvm(open(path).read())
        rtl = flatten(regs, blocks, spec[1])
        prefix, sub_off = (spec[2], spec[3]) if len(spec) > 2 else ('', 0)
        if prefix:
            print(f"-- {blk['name']}: comparing its {prefix[:-1]} part at +{sub_off:#x} (the OpenTitan core: "
                  "regmap_rtl_test.cpp)")
        seen = set()
        for r in blk['registers']:
            if not r['name'].startswith(prefix):
                continue
            r = dict(r, name=r['name'][len(prefix):], offset=hex(int(r['offset'], 16) - sub_off))
            key = r['name'].lower()
            seen.add(key)
            if key not in rtl:
                print(f"{blk['name']}.{r['name']}: not in the RTL")
                problems += 1
                continue
            off, count, fields = rtl[key]
            reset, acc = masks(fields)
            mine = (int(r['offset'], 16), r.get('count', 1), int(r['reset'], 16))
            if mine != (off, count, reset):
                print(f"{blk['name']}.{r['name']}: offset/count/reset ours {tuple(hex(x) for x in mine)} rtl "
                      f"{(hex(off), count, hex(reset))}")
                problems += 1
            rw = int(r.get('rw', '0x0'), 16)
            w1c = int(r.get('w1c', '0x0'), 16)
            if ((acc['rw'] | acc['wo']) != rw or acc['w1c'] != w1c) and (blk['name'], r['name']) not in EFFECTIVE_ACCESS:
                print(f"{blk['name']}.{r['name']}: writable bits ours rw={rw:#x} w1c={w1c:#x} rtl "
                      f"rw={acc['rw'] | acc['wo']:#x} w1c={acc['w1c']:#x} ro={acc['ro']:#x}")
                problems += 1
        for key in sorted(set(rtl) - seen):
            if (blk['name'], key) in RTL_ONLY:
                continue
            print(f"{blk['name']}.{key}: in the RTL, missing here")
            problems += 1
        print(f"-- {blk['name']}: {len(seen)} registers compared with {os.path.relpath(path, root)}")
    print(f"{problems} difference(s)")
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
