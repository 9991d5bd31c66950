// The threaded interpreter. Every decoded entry holds the address of its handler label;
// sequential flow is `ip += 1 or 2` (entries are per halfword), so the hot path does no
// decoding, no pc arithmetic and no bus lookup. Every retired instruction decrements the
// budget, which ends exactly at the next scheduled device event: counting is exact.
#include <cstring>

#include "common/bits.h"
#include "rv/decode.h"
#include "rv/exec_internal.h"
#include "rv/hart.h"

namespace calemu::rv {

namespace {

int32_t div_s(int32_t a, int32_t b) {
  if (b == 0) return -1;
  if (a == INT32_MIN && b == -1) return INT32_MIN;
  return a / b;
}
int32_t rem_s(int32_t a, int32_t b) {
  if (b == 0) return a;
  if (a == INT32_MIN && b == -1) return 0;
  return a % b;
}
uint32_t rol(uint32_t a, uint32_t s) { return std::rotl(a, static_cast<int>(s & 31)); }
uint32_t ror(uint32_t a, uint32_t s) { return std::rotr(a, static_cast<int>(s & 31)); }

const void* const* g_handlers = nullptr;  // [2][kXopCount], set on first execute()

}  // namespace

const void* xop_handler(XOp op, bool compressed) {
  return g_handlers[(compressed ? kXopCount : 0) + static_cast<unsigned>(op)];
}

void Hart::init_handlers() {
  if (!g_handlers) execute(0);
}

uint64_t Hart::execute(uint64_t budget) {
  // Label table: 4-byte variants first, then 2-byte variants.
  static const void* const kTable[2 * kXopCount] = {
#define CALEMU_X(op) &&L4_##op,
      CALEMU_XOPS(CALEMU_X)
#undef CALEMU_X
#define CALEMU_X(op) &&L2_##op,
      CALEMU_XOPS(CALEMU_X)
#undef CALEMU_X
  };
  if (budget == 0) {
    g_handlers = kTable;
    return 0;
  }

  uint32_t* const X = x_;
  uintptr_t* const rbias = read_bias_;
  uintptr_t* const wbias = write_bias_;
  const uint64_t retired0 = retired_, stall0 = stall_cycles_;
  uint64_t left = budget;
  uint64_t traps = 0;
  CodePage* page = nullptr;
  uint32_t page_tag = ~0u;
  Insn* ip = nullptr;
  uint32_t npc = pc_;
  Trap trap;
  uint32_t epc = 0;

#define PC() (page->base + static_cast<uint32_t>((ip - page->e) << 1))
#define SYNC()                                              \
  do {                                                      \
    retired_ = retired0 + (budget - left) - traps;          \
    stall_cycles_ = stall0 + traps;                         \
    sync_time();                                            \
  } while (0)
#define DISPATCH() goto* ip->handler
#define NEXT(n)                                   \
  do {                                            \
    ip += (n);                                    \
    if (CALEMU_UNLIKELY(--left == 0)) goto out;   \
    DISPATCH();                                   \
  } while (0)
// After a slow path: also leave when something needs the outer loop's attention.
#define NEXT_CHECKED(n)                                        \
  do {                                                         \
    ip += (n);                                                 \
    if (CALEMU_UNLIKELY(--left == 0 || attention_)) goto out;  \
    DISPATCH();                                                \
  } while (0)
#define HANDLER(name, ...)                                   \
  L4_##name : {                                              \
    [[maybe_unused]] constexpr uint32_t kLen = 4;            \
    __VA_ARGS__                                              \
  }                                                          \
  NEXT(2);                                                   \
  L2_##name : {                                              \
    [[maybe_unused]] constexpr uint32_t kLen = 2;            \
    __VA_ARGS__                                              \
  }                                                          \
  NEXT(1);
#define RD X[ip->rd]
#define RS1 X[ip->rs1]
#define RS2 X[ip->rs2]
#define IMM (ip->imm)
#define SIMM static_cast<int32_t>(ip->imm)
#define TRAP(cause_, tval_, msc_)     \
  do {                                \
    trap = Trap{cause_, tval_, msc_}; \
    epc = PC();                       \
    goto take_trap;                   \
  } while (0)
#define LOAD(T, CONV)                                                        \
  {                                                                          \
    const uint32_t a = RS1 + IMM;                                            \
    const uintptr_t b = rbias[a >> 12];                                      \
    if (CALEMU_LIKELY(b != 0 && (a & (sizeof(T) - 1)) == 0)) {               \
      T v;                                                                   \
      std::memcpy(&v, reinterpret_cast<const void*>(b + a), sizeof(T));      \
      RD = CONV(v);                                                          \
    } else {                                                                 \
      SYNC();                                                                \
      pc_ = PC();                                                            \
      uint32_t v;                                                            \
      if (!load_slow(a, sizeof(T), v, trap)) {                               \
        epc = pc_;                                                           \
        goto take_trap;                                                      \
      }                                                                      \
      RD = CONV(static_cast<T>(v));                                          \
      NEXT_CHECKED(kLen / 2);                                                \
    }                                                                        \
  }
#define STORE(T)                                                             \
  {                                                                          \
    const uint32_t a = RS1 + IMM;                                            \
    const uintptr_t b = wbias[a >> 12];                                      \
    if (CALEMU_LIKELY(b != 0 && (a & (sizeof(T) - 1)) == 0)) {               \
      const T v = static_cast<T>(RS2);                                       \
      std::memcpy(reinterpret_cast<void*>(b + a), &v, sizeof(T));            \
    } else {                                                                 \
      SYNC();                                                                \
      pc_ = PC();                                                            \
      if (!store_slow(a, sizeof(T), RS2, trap)) {                            \
        epc = pc_;                                                           \
        goto take_trap;                                                      \
      }                                                                      \
      NEXT_CHECKED(kLen / 2);                                                \
    }                                                                        \
  }
#define BRANCH(cond)                 \
  if (cond) {                        \
    ip += SIMM;                      \
    if (--left == 0) goto out;       \
    DISPATCH();                      \
  }
#define BRANCH_FAR(cond) \
  if (cond) {            \
    npc = IMM;           \
    --left;              \
    goto jump;           \
  }

  // Enter at pc_.
  goto jump;

  // ---- RV32I ----
  HANDLER(LUI, RD = IMM;)
  HANDLER(AUIPC, RD = IMM;)
  HANDLER(LI, RD = IMM;)
  HANDLER(JAL, {
    RD = PC() + kLen;
    ip += SIMM;
    if (--left == 0) goto out;
    DISPATCH();
  })
  HANDLER(JAL_FAR, {
    RD = PC() + kLen;
    npc = IMM;
    --left;
    goto jump;
  })
  HANDLER(JALR, {
    const uint32_t target = (RS1 + IMM) & ~1u;
    RD = PC() + kLen;
    npc = target;
    --left;
    goto jump;
  })
  HANDLER(BEQ, BRANCH(RS1 == RS2))
  HANDLER(BNE, BRANCH(RS1 != RS2))
  HANDLER(BLT, BRANCH(static_cast<int32_t>(RS1) < static_cast<int32_t>(RS2)))
  HANDLER(BGE, BRANCH(static_cast<int32_t>(RS1) >= static_cast<int32_t>(RS2)))
  HANDLER(BLTU, BRANCH(RS1 < RS2))
  HANDLER(BGEU, BRANCH(RS1 >= RS2))
  HANDLER(BEQ_FAR, BRANCH_FAR(RS1 == RS2))
  HANDLER(BNE_FAR, BRANCH_FAR(RS1 != RS2))
  HANDLER(BLT_FAR, BRANCH_FAR(static_cast<int32_t>(RS1) < static_cast<int32_t>(RS2)))
  HANDLER(BGE_FAR, BRANCH_FAR(static_cast<int32_t>(RS1) >= static_cast<int32_t>(RS2)))
  HANDLER(BLTU_FAR, BRANCH_FAR(RS1 < RS2))
  HANDLER(BGEU_FAR, BRANCH_FAR(RS1 >= RS2))
  HANDLER(LB, LOAD(int8_t, static_cast<uint32_t>))
  HANDLER(LH, LOAD(int16_t, static_cast<uint32_t>))
  HANDLER(LW, LOAD(uint32_t, static_cast<uint32_t>))
  HANDLER(LBU, LOAD(uint8_t, static_cast<uint32_t>))
  HANDLER(LHU, LOAD(uint16_t, static_cast<uint32_t>))
  HANDLER(SB, STORE(uint8_t))
  HANDLER(SH, STORE(uint16_t))
  HANDLER(SW, STORE(uint32_t))
  HANDLER(ADDI, RD = RS1 + IMM;)
  HANDLER(SLTI, RD = static_cast<int32_t>(RS1) < SIMM;)
  HANDLER(SLTIU, RD = RS1 < IMM;)
  HANDLER(XORI, RD = RS1 ^ IMM;)
  HANDLER(ORI, RD = RS1 | IMM;)
  HANDLER(ANDI, RD = RS1 & IMM;)
  HANDLER(SLLI, RD = RS1 << IMM;)
  HANDLER(SRLI, RD = RS1 >> IMM;)
  HANDLER(SRAI, RD = static_cast<uint32_t>(static_cast<int32_t>(RS1) >> IMM);)
  HANDLER(ADD, RD = RS1 + RS2;)
  HANDLER(SUB, RD = RS1 - RS2;)
  HANDLER(SLL, RD = RS1 << (RS2 & 31);)
  HANDLER(SLT, RD = static_cast<int32_t>(RS1) < static_cast<int32_t>(RS2);)
  HANDLER(SLTU, RD = RS1 < RS2;)
  HANDLER(XOR, RD = RS1 ^ RS2;)
  HANDLER(SRL, RD = RS1 >> (RS2 & 31);)
  HANDLER(SRA, RD = static_cast<uint32_t>(static_cast<int32_t>(RS1) >> (RS2 & 31));)
  HANDLER(OR, RD = RS1 | RS2;)
  HANDLER(AND, RD = RS1 & RS2;)
  HANDLER(FENCE, )
  HANDLER(FENCE_I, )

  // ---- M ----
  HANDLER(MUL, RD = RS1 * RS2;)
  HANDLER(MULH, RD = static_cast<uint32_t>((int64_t{static_cast<int32_t>(RS1)} * static_cast<int32_t>(RS2)) >> 32);)
  HANDLER(MULHSU, RD = static_cast<uint32_t>((int64_t{static_cast<int32_t>(RS1)} * int64_t{RS2}) >> 32);)
  HANDLER(MULHU, RD = static_cast<uint32_t>((uint64_t{RS1} * RS2) >> 32);)
  HANDLER(DIV, RD = static_cast<uint32_t>(div_s(static_cast<int32_t>(RS1), static_cast<int32_t>(RS2)));)
  HANDLER(DIVU, RD = RS2 ? RS1 / RS2 : 0xFFFF'FFFFu;)
  HANDLER(REM, RD = static_cast<uint32_t>(rem_s(static_cast<int32_t>(RS1), static_cast<int32_t>(RS2)));)
  HANDLER(REMU, RD = RS2 ? RS1 % RS2 : RS1;)

  // ---- Zba / Zbb / Zbc / Zbs ----
  HANDLER(SH1ADD, RD = (RS1 << 1) + RS2;)
  HANDLER(SH2ADD, RD = (RS1 << 2) + RS2;)
  HANDLER(SH3ADD, RD = (RS1 << 3) + RS2;)
  HANDLER(ANDN, RD = RS1 & ~RS2;)
  HANDLER(ORN, RD = RS1 | ~RS2;)
  HANDLER(XNOR, RD = ~(RS1 ^ RS2);)
  HANDLER(CLZ, RD = static_cast<uint32_t>(std::countl_zero(RS1));)
  HANDLER(CTZ, RD = static_cast<uint32_t>(std::countr_zero(RS1));)
  HANDLER(CPOP, RD = static_cast<uint32_t>(std::popcount(RS1));)
  HANDLER(MAX, RD = static_cast<int32_t>(RS1) > static_cast<int32_t>(RS2) ? RS1 : RS2;)
  HANDLER(MAXU, RD = RS1 > RS2 ? RS1 : RS2;)
  HANDLER(MIN, RD = static_cast<int32_t>(RS1) < static_cast<int32_t>(RS2) ? RS1 : RS2;)
  HANDLER(MINU, RD = RS1 < RS2 ? RS1 : RS2;)
  HANDLER(SEXT_B, RD = static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(RS1)));)
  HANDLER(SEXT_H, RD = static_cast<uint32_t>(static_cast<int32_t>(static_cast<int16_t>(RS1)));)
  HANDLER(ZEXT_H, RD = RS1 & 0xFFFF;)
  HANDLER(ROL, RD = rol(RS1, RS2);)
  HANDLER(ROR, RD = ror(RS1, RS2);)
  HANDLER(RORI, RD = ror(RS1, IMM);)
  HANDLER(ORC_B, RD = orc_b(RS1);)
  HANDLER(REV8, RD = __builtin_bswap32(RS1);)
  HANDLER(CLMUL, RD = clmul_lo(RS1, RS2);)
  HANDLER(CLMULH, RD = clmul_hi(RS1, RS2);)
  HANDLER(CLMULR, RD = clmul_rev(RS1, RS2);)
  HANDLER(BCLR, RD = RS1 & ~(1u << (RS2 & 31));)
  HANDLER(BCLRI, RD = RS1 & ~(1u << IMM);)
  HANDLER(BEXT, RD = (RS1 >> (RS2 & 31)) & 1;)
  HANDLER(BEXTI, RD = (RS1 >> IMM) & 1;)
  HANDLER(BINV, RD = RS1 ^ (1u << (RS2 & 31));)
  HANDLER(BINVI, RD = RS1 ^ (1u << IMM);)
  HANDLER(BSET, RD = RS1 | (1u << (RS2 & 31));)
  HANDLER(BSETI, RD = RS1 | (1u << IMM);)

  // ---- System ----
#define CSR_BODY(kind, imm_form, funct3)                                                               \
  {                                                                                              \
    SYNC();                                                                                      \
    pc_ = PC();                                                                                  \
    const uint32_t src = (imm_form) ? ip->rs1 : X[ip->rs1];                                      \
    const bool writes = (kind) == Op::CSRRW || (kind) == Op::CSRRWI || ip->rs1 != 0;             \
    uint32_t old = 0;                                                                            \
    if (!csr_access(static_cast<uint32_t>(kind), static_cast<uint16_t>(IMM), src, writes, old)) { \
      const uint32_t raw = (IMM << 20) | (uint32_t{ip->rs1} << 15) | ((funct3) << 12) |            \
                           (uint32_t{ip->rd & 31u} << 7) | 0x73u;                                 \
      TRAP(kIllegalInstr, csr_priv_fault_ ? 0u : raw, kMscNone);                                 \
    }                                                                                            \
    RD = old;                                                                                    \
    NEXT_CHECKED(kLen / 2);                                                                      \
  }
  HANDLER(CSRRW, CSR_BODY(Op::CSRRW, false, 1u))
  HANDLER(CSRRS, CSR_BODY(Op::CSRRS, false, 2u))
  HANDLER(CSRRC, CSR_BODY(Op::CSRRC, false, 3u))
  HANDLER(CSRRWI, CSR_BODY(Op::CSRRWI, true, 5u))
  HANDLER(CSRRSI, CSR_BODY(Op::CSRRSI, true, 6u))
  HANDLER(CSRRCI, CSR_BODY(Op::CSRRCI, true, 7u))
#undef CSR_BODY
  HANDLER(ECALL, TRAP(user_ ? kEcallU : kEcallM, 0, kMscNone);)
  HANDLER(EBREAK, TRAP(kBreakpoint, PC(), kMscEbreak);)
  HANDLER(MRET, {
    if (user_) TRAP(kIllegalInstr, 0x30200073u, kMscNone);
    --left;
    SYNC();
    do_mret();
    npc = pc_;
    goto jump;
  })
  HANDLER(WFI, {
    ip += kLen / 2;
    --left;
    wfi_ = true;
    goto out;
  })
  HANDLER(ILLEGAL, TRAP(kIllegalInstr, IMM, kMscNone);)
  // Entries not yet decoded, and the two sentinels past the end of each page.
  HANDLER(UNDECODED, {
    const uint32_t pc = PC();
    uint32_t raw;
    SYNC();
    if (!fetch_raw(pc, raw, trap)) {
      epc = pc;
      goto take_trap;
    }
    build_entry(*ip, raw, pc, page != scratch_.get());
    DISPATCH();
  })
  HANDLER(PAGE_END, {
    npc = PC();
    goto jump;
  })

jump:
  // Control transfer to npc. The instruction that jumped has been counted.
  if ((npc >> 12) == page_tag) {
    ip = &page->e[(npc & 0xFFF) >> 1];
  } else {
    CodePage* p = exec_page_[npc >> 12];
    if (!p) {
      SYNC();
      pc_ = npc;
      p = code_page_for(npc);
      if (!p) {
        p = scratch_page_for(npc, trap);
        if (!p) {
          epc = npc;
          goto take_fetch_trap;
        }
      }
    }
    page = p;
    page_tag = p == scratch_.get() ? ~0u : npc >> 12;
    ip = &p->e[(npc - p->base) >> 1];
  }
  if (left == 0 || attention_) goto out;
  DISPATCH();

take_fetch_trap:
  // A fetch fault at the trap handler's own entry can never make progress.
  if ((mtvec_ & ~3u) == epc || ((mtvec_ & ~3u) == epc - 2 && trap.tval == epc)) {
    fatal_ = "instruction fetch at the trap handler fails too";
    attention_ = true;
    ip = nullptr;
    goto out;
  }

take_trap:
  // The instruction at epc did not retire; taking the trap costs one cycle.
  ++traps;
  --left;
  SYNC();
  if (trace_) {
    TraceRecord r;
    r.pc = epc;
    r.trapped = true;
    r.cause = trap.cause;
    r.tval = trap.tval;
    trace_(r);
  }
  enter_trap(trap.cause, trap.tval, trap.mscause, epc);
  npc = pc_;
  goto jump;

out:
  SYNC();
  if (ip) pc_ = PC();
  return budget - left;

#undef PC
#undef SYNC
#undef DISPATCH
#undef NEXT
#undef NEXT_CHECKED
#undef HANDLER
#undef RD
#undef RS1
#undef RS2
#undef IMM
#undef SIMM
#undef TRAP
#undef LOAD
#undef STORE
#undef BRANCH
#undef BRANCH_FAR
}

}  // namespace calemu::rv
