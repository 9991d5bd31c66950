/* Our own self-checking macro framework for the ISA tests (assembly, run through cpp).
 *
 * A test program defines `test_main`; isa_common.S provides _start, a trap handler, the
 * pass/fail exits (Spike HTIF tohost: (code << 1) | 1) and a console for diagnostics.
 *
 * Register conventions inside test code:
 *   tp       current test number (TEST(n)); the exit code on failure
 *   t4,t5,t6 scratch of the CHECK macros (line, actual, expected); do not keep values there
 *   sp       a small stack (the helpers in isa_common.S use it)
 * Everything else is free.
 *
 * Expected values in the tests come from the ISA manual, the VeeR EL2 PRM or the VeeR
 * RTL, never from running calemu; comments cite the source where it is not obvious.
 */
#pragma once

/* Trap frame (isa_common.S, symbol trap_frame): what the default handler records. */
#define TF_T1       0
#define TF_T2       4
#define TF_CAUSE    8
#define TF_EPC      12
#define TF_TVAL     16
#define TF_MSCAUSE  20
#define TF_STATUS   24   /* mstatus at trap entry (MPP tells where the trap came from) */
#define TF_COUNT    28   /* traps taken so far */
#define TF_RESUME   32   /* one-shot continuation for an expected trap (0: none armed) */
#define TF_VEER     36   /* 1 when mvendorid says VeeR (0x45): VeeR-only checks run */
#define TF_HOOK     40   /* optional interrupt hook: called (t0-t2, a0 free) for interrupts */
#define TF_RA       44
#define TF_A0       48
#define TF_SIZE     64

/* CSR numbers the assembler does not know by name (VeeR EL2 PRM "CSR Address Map"). */
#define CSR_MRAC      0x7C0
#define CSR_MCPC      0x7C2
#define CSR_DMST      0x7C4
#define CSR_MPMC      0x7C6
#define CSR_DICAWICS  0x7C8
#define CSR_MFDHT     0x7CE
#define CSR_MFDHS     0x7CF
#define CSR_MITCNT0   0x7D2
#define CSR_MITB0     0x7D3
#define CSR_MITCTL0   0x7D4
#define CSR_MITCNT1   0x7D5
#define CSR_MITB1     0x7D6
#define CSR_MITCTL1   0x7D7
#define CSR_MICECT    0x7F0
#define CSR_MICCMECT  0x7F1
#define CSR_MDCCMECT  0x7F2
#define CSR_MCGC      0x7F8
#define CSR_MFDC      0x7F9
#define CSR_MSCAUSE   0x7FF
#define CSR_MDEAU     0xBC0
#define CSR_MEIVT     0xBC8
#define CSR_MEIPT     0xBC9
#define CSR_MEICPCT   0xBCA
#define CSR_MEICIDPL  0xBCB
#define CSR_MEICURPL  0xBCC
#define CSR_MDSEAC    0xFC0
#define CSR_MEIHAP    0xFC8
#define CSR_MSECCFG   0x747
#define CSR_MSECCFGH  0x757
#define CSR_MENVCFG   0x30A
#define CSR_MENVCFGH  0x31A

/* The run-elf testbench block (src/machine/testbench.h). */
#define TB_BASE       0xF0000000
#define TB_IRQ_SET    0x00
#define TB_IRQ_CLEAR  0x04
#define TB_NMI        0x08
#define TB_MTIP       0x0C
#define TB_MSIP       0x10
#define TB_DELAY      0x14
#define TB_NMI_VECTOR 0x18
#define TB_EXIT       0x1C

/* The VeeR PIC as Caliptra maps it (PIC_base_addr 0x6000_0000, PRM "PIC Memory-Mapped
 * Register Address Map"). */
#define PIC_BASE      0x60000000
#define PIC_MEIPL(s)  (PIC_BASE + 0x0000 + 4 * (s))
#define PIC_MEIP(x)   (PIC_BASE + 0x1000 + 4 * (x))
#define PIC_MEIE(s)   (PIC_BASE + 0x2000 + 4 * (s))
#define PIC_MPICCFG   (PIC_BASE + 0x3000)
#define PIC_MEIGWCTRL(s) (PIC_BASE + 0x4000 + 4 * (s))
#define PIC_MEIGWCLR(s)  (PIC_BASE + 0x5000 + 4 * (s))

#define MSTATUS_MIE   0x8
#define MSTATUS_MPIE  0x80
#define MSTATUS_MPP   0x1800
#define MSTATUS_MPRV  0x20000

#define TESTNUM tp
#define TEST(n) li TESTNUM, n

/* Fail with the current line; t5 = actual, t6 = expected. */
#define FAIL_HERE li t4, __LINE__; j test_fail

/* reg == 32-bit constant (reg must not be t4/t6). */
#define CHECK(reg, expect) \
  li t6, expect; beq reg, t6, 9999f; mv t5, reg; li t4, __LINE__; j test_fail; 9999:
/* reg == reg2. */
#define CHECKR(reg, reg2) \
  beq reg, reg2, 9999f; mv t5, reg; mv t6, reg2; li t4, __LINE__; j test_fail; 9999:
/* reg == address of a label. */
#define CHECK_LABEL(reg, label) \
  la t6, label; beq reg, t6, 9999f; mv t5, reg; li t4, __LINE__; j test_fail; 9999:
/* CSR == constant. */
#define CHECK_CSR(csr, expect) csrr t5, csr; CHECK(t5, expect)

/* Arm the default trap handler to resume at `label` (in M-mode) after the next trap. */
#define TRAP_ARM(label) la t6, trap_frame; la t5, label; sw t5, TF_RESUME(t6)
/* A field of the trap frame == constant / label address. */
#define CHECK_TF(field, expect) la t6, trap_frame; lw t5, field(t6); CHECK(t5, expect)
#define CHECK_TF_LABEL(field, label) la t6, trap_frame; lw t5, field(t6); CHECK_LABEL(t5, label)
/* mscause is VeeR-only: skipped on other harts (QEMU cross-check). */
#define CHECK_MSCAUSE(expect) \
  la t6, trap_frame; lw t5, TF_VEER(t6); beqz t5, 9998f; lw t5, TF_MSCAUSE(t6); CHECK(t5, expect); 9998:

/* Expect the instruction (the trailing arguments, labelled 9997) to trap with cause and
 * tval, mepc = its own address. */
#define EXPECT_TRAP(cause, tval, ...) \
  TRAP_ARM(9996f); 9997: __VA_ARGS__; FAIL_HERE; 9996: \
  CHECK_TF(TF_CAUSE, cause); CHECK_TF_LABEL(TF_EPC, 9997b); CHECK_TF(TF_TVAL, tval)
/* Same without a tval check (the caller checks it, e.g. against a label). */
#define EXPECT_TRAP_NOTVAL(cause, ...) \
  TRAP_ARM(9996f); 9997: __VA_ARGS__; FAIL_HERE; 9996: \
  CHECK_TF(TF_CAUSE, cause); CHECK_TF_LABEL(TF_EPC, 9997b)
/* Same with tval = the instruction's own address. */
#define EXPECT_TRAP_PC(cause, ...) \
  TRAP_ARM(9996f); 9997: __VA_ARGS__; FAIL_HERE; 9996: \
  CHECK_TF(TF_CAUSE, cause); CHECK_TF_LABEL(TF_EPC, 9997b); CHECK_TF_LABEL(TF_TVAL, 9997b)

/* ebreak / c.ebreak: cause 3, mepc = its pc; on VeeR also mtval = pc and mscause 2
 * (el2_dec_tlu_ctl.sv: mtval_capture_pc_r for ebreak_r, mscause_type 4'b0010). QEMU 7.2
 * writes mtval = 0, which the privileged spec also allows. */
#define EXPECT_EBREAK(...) \
  TRAP_ARM(9996f); 9997: __VA_ARGS__; FAIL_HERE; 9996: \
  CHECK_TF(TF_CAUSE, 3); CHECK_TF_LABEL(TF_EPC, 9997b); CHECK_MSCAUSE(2); \
  la t6, trap_frame; lw t5, TF_VEER(t6); beqz t5, 9995f; CHECK_TF_LABEL(TF_TVAL, 9997b); 9995:

/* Skip to `label` unless running on VeeR (calemu); for the QEMU cross-check. */
#define VEER_ONLY(label) la t6, trap_frame; lw t6, TF_VEER(t6); beqz t6, label

/* Register-register / register-immediate / unary operation checks. */
#define TEST_RR(op, expect, a, b) li a1, a; li a2, b; op a0, a1, a2; CHECK(a0, expect)
#define TEST_RI(op, expect, a, imm) li a1, a; op a0, a1, imm; CHECK(a0, expect)
#define TEST_R1(op, expect, a) li a1, a; op a0, a1; CHECK(a0, expect)
/* rd == rs1, rd == rs2, rs1 == rs2 forms. */
#define TEST_RR_D1(op, expect, a, b) li a0, a; li a2, b; op a0, a0, a2; CHECK(a0, expect)
#define TEST_RR_D2(op, expect, a, b) li a1, a; li a0, b; op a0, a1, a0; CHECK(a0, expect)
#define TEST_RR_SAME(op, expect, a) li a1, a; op a0, a1, a1; CHECK(a0, expect)
/* x0 as destination keeps zero. */
#define TEST_RR_ZERO(op, a, b) li a1, a; li a2, b; op x0, a1, a2; CHECK(x0, 0)

/* Testbench helpers (calemu run-elf only). */
#define TB_WRITE(reg, value) li t5, TB_BASE; li t6, value; sw t6, reg(t5)
/* The PIC is word-access only. */
#define PIC_WRITE(addr, value) li t5, addr; li t6, value; sw t6, 0(t5)
#define PIC_READ(rd, addr) li t5, addr; lw rd, 0(t5)
