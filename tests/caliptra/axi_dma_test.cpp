// The AXI DMA of the 2.x core, driven only through its registers as firmware would, against
// AXI subordinates mapped into a bus::AxiSpace. Expected values come from axi_dma_reg.rdl and
// axi_dma_ctrl.sv (route table, command checks, request sizing, FIFO depth, payload pacing,
// interrupt events) and from the caliptra-rtl DMA smoke tests' checks (fixed-address writes
// leave only the last beat, payloads round-trip through SRAM, mailbox and FIFO), with FIPS
// 180-4 / FIPS-197 vectors where data goes through the SHA accelerator or an AES block.
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>

#include "bus/axi.h"
#include "caliptra/axi_dma.h"
#include "caliptra/keyvault.h"
#include "caliptra/sha512_acc.h"
#include "crypto/aes.h"
#include "ip_test_util.h"

using namespace calemu;
using namespace calemu::caliptra;
using namespace calemu::caliptra::test;
using bus::AxiResp;

namespace {

using Rd = AxiDma::RdRoute;
using Wr = AxiDma::WrRoute;

// Register offsets (axi_dma_reg.rdl).
constexpr uint32_t kId = 0x00, kCap = 0x04, kCtrl = 0x08, kStatus0 = 0x0C, kStatus1 = 0x10, kSrcL = 0x14,
                   kSrcH = 0x18, kDstL = 0x1C, kDstH = 0x20, kByteCount = 0x24, kBlockSize = 0x28,
                   kWriteData = 0x2C, kReadData = 0x30;
constexpr uint32_t kIntr = 0x800;
constexpr uint32_t kGlobalEn = kIntr + 0x0, kErrorEn = kIntr + 0x4, kNotifEn = kIntr + 0x8,
                   kErrorSts = kIntr + 0x14, kNotifSts = kIntr + 0x18, kErrorCount = kIntr + 0x100,
                   kNotifCount = kIntr + 0x180;

// Error / notification status bits (RDL order).
constexpr uint32_t kErrCmdDec = 1u << 0, kErrAxiRd = 1u << 1, kErrAxiWr = 1u << 2, kErrMboxLock = 1u << 3,
                   kErrFifoOflow = 1u << 5, kErrFifoUflow = 1u << 6, kErrAesCif = 1u << 7, kErrKvRd = 1u << 8,
                   kErrKvRdLarge = 1u << 9;
constexpr uint32_t kNotifTxnDone = 1u << 0, kNotifEmpty = 1u << 1, kNotifNotEmpty = 1u << 2, kNotifFull = 1u << 3,
                   kNotifNotFull = 1u << 4;

// The AXI map of the bench: 48-bit addresses above 4 GiB, as the subsystem places things.
constexpr uint64_t kSram = 0x4000'0000'0000;    // 64 KiB SRAM
constexpr uint64_t kFifo = 0x4000'1000'0000;    // a FIFO-like subordinate (reads pop, writes push)
constexpr uint64_t kSlvErr = 0x4000'2000'0000;  // answers SLVERR
constexpr uint64_t kSlow = 0x4000'3000'0000;    // 4 KiB memory with a long response latency
constexpr uint64_t kCaliptra = 0x4000'4000'0000;  // Caliptra's own AXI subordinate (SHA accelerator)
constexpr uint64_t kUnmapped = 0x4000'5000'0000;
constexpr uint32_t kDmaUser = 0x0000'00CA;

// SS_* straps and OCP LOCK state as soc_ifc would report them.
struct DmaSecrets : FakeSecrets {
  uint64_t key_addr = 0;
  uint32_t key_size = 0;
  uint64_t key_release_addr() const override { return key_addr; }
  uint32_t key_release_size() const override { return key_size; }
  uint32_t dma_axi_user() const override { return kDmaUser; }
};

// The TB's AXI FIFO: reads pop (0 when empty), writes push; payload_available follows it
// like the recovery interface's FIFO when `block` is set.
struct FifoTarget : bus::AxiTarget {
  std::deque<uint32_t> q;
  unsigned reads = 0, writes = 0;
  AxiResp read(uint64_t, uint32_t& d, uint32_t) override {
    ++reads;
    d = 0;
    if (!q.empty()) {
      d = q.front();
      q.pop_front();
    }
    return AxiResp::Okay;
  }
  AxiResp write(uint64_t, uint32_t d, uint32_t) override {
    ++writes;
    q.push_back(d);
    return AxiResp::Okay;
  }
};

struct ErrTarget : bus::AxiTarget {
  AxiResp read(uint64_t, uint32_t& d, uint32_t) override { d = 0xDEAD'BEEF; return AxiResp::SlvErr; }
  AxiResp write(uint64_t, uint32_t, uint32_t) override { return AxiResp::SlvErr; }
};

struct DmaBench {
  bus::Timeline tl;
  std::map<unsigned, bool> irq;
  DmaSecrets secrets;
  bus::AxiSpace axi;
  bus::Memory mbox{"mbox_sram", 256 * 1024, true};
  bus::Memory sram{"axi_sram", 64 * 1024, true};
  bus::Memory slow{"slow", 4 * 1024, true};
  FifoTarget fifo;
  ErrTarget err;
  bool mbox_lock = true;
  BlockContext ctx;
  KeyVault kv;
  AxiDma dma;

  explicit DmaBench(HwGen hw)
      : ctx{.hw = hw,
            .timeline = tl,
            .set_irq = [this](unsigned src, bool level) { irq[src] = level; },
            .kv = nullptr,
            .pv = nullptr,
            .secrets = &secrets,
            .mbox_sram = &mbox,
            .seed = 1,
            .axi = &axi,
            .uc_mbox_lock = [this] { return mbox_lock; }},
        kv(ctx),
        dma(ctx) {
    ctx.kv = &kv;
    axi.map_memory("sram", kSram, sram);
    axi.map("fifo", kFifo, 0x1000, fifo);
    axi.map("slverr", kSlvErr, 0x1000, err);
    axi.map_memory("slow", kSlow, slow, true, 2000);
  }

  uint32_t rd(uint32_t off) { return test::rd(dma, off); }
  void wr(uint32_t off, uint32_t v) { test::wr(dma, off, v); }
  uint32_t status0() { return rd(kStatus0); }
  unsigned fifo_depth() { return (status0() >> 4) & 0xFFF; }
  unsigned fsm() { return (status0() >> 16) & 3; }

  void run(uint64_t cycles) {
    const uint64_t end = tl.now() + cycles;
    for (;;) {
      const uint64_t next = tl.next_deadline();
      if (next > end) break;
      tl.advance_to(next);
      tl.run_due();
    }
    tl.advance_to(end);
  }
  // Polls STATUS0 every `period` cycles (as firmware would) until busy drops or error rises.
  bool wait_idle_or_error(uint64_t max_cycles = 2'000'000, uint64_t period = 4) {
    for (uint64_t t = 0; t < max_cycles; t += period) {
      const uint32_t s = status0();
      if (!(s & AxiDma::kBusy) || (s & AxiDma::kError)) return true;
      run(period);
    }
    return false;
  }

  void arm(uint64_t src, uint64_t dst, uint32_t count, uint32_t ctrl, uint32_t block_size = 0) {
    wr(kSrcL, static_cast<uint32_t>(src));
    wr(kSrcH, static_cast<uint32_t>(src >> 32));
    wr(kDstL, static_cast<uint32_t>(dst));
    wr(kDstH, static_cast<uint32_t>(dst >> 32));
    wr(kByteCount, count);
    wr(kBlockSize, block_size);
    wr(kCtrl, ctrl);
    run(1);  // firmware's next access is at least a cycle later
  }
  void flush() { wr(kCtrl, AxiDma::kFlush); run(2); }

  void sram_words(uint64_t addr, const Words& w) {
    for (size_t i = 0; i < w.size(); ++i) sram.write(static_cast<uint32_t>(addr - kSram + 4 * i), 4, w[i]);
  }
  Words sram_read(uint64_t addr, unsigned n) {
    Words w(n);
    for (unsigned i = 0; i < n; ++i) w[i] = sram.read(static_cast<uint32_t>(addr - kSram + 4 * i), 4);
    return w;
  }
};

uint32_t go(Rd rd, Wr wr, bool rd_fixed = false, bool wr_fixed = false, bool aes = false, bool gcm = false) {
  return AxiDma::kGo | static_cast<uint32_t>(rd) << AxiDma::kRdRouteShift |
         static_cast<uint32_t>(wr) << AxiDma::kWrRouteShift | (rd_fixed ? 1u << AxiDma::kRdFixedBit : 0) |
         (wr_fixed ? 1u << AxiDma::kWrFixedBit : 0) | (aes ? AxiDma::kAesModeEn : 0) | (gcm ? AxiDma::kAesGcmMode : 0);
}

Words pattern(unsigned n, uint32_t seed) {
  Words w(n);
  uint32_t x = seed;
  for (auto& v : w) v = x = x * 1664525u + 1013904223u;
  return w;
}

constexpr uint32_t kStatusError = AxiDma::kBusy | AxiDma::kError | 3u << AxiDma::kFsmShift;

class AxiDmaGen : public ::testing::TestWithParam<HwGen> {};
INSTANTIATE_TEST_SUITE_P(Gens, AxiDmaGen, ::testing::Values(HwGen::V2_0, HwGen::V2_1),
                         [](const auto& i) { return i.param == HwGen::V2_0 ? std::string("v2_0") : std::string("v2_1"); });

// ---------------------------------------------------------------------------------------
// Registers

TEST_P(AxiDmaGen, IdCapAndWritableFields) {
  DmaBench b(GetParam());
  EXPECT_EQ(b.rd(kId), 0x6776'8068u);  // "CLPD"
  EXPECT_EQ(b.rd(kCap), 128u);          // FIFO_BC / BC
  EXPECT_EQ(b.status0(), 0u);
  b.wr(kCtrl, 0xFFFF'FFFC);  // every field but go and flush
  EXPECT_EQ(b.rd(kCtrl), GetParam() == HwGen::V2_1 ? 0x1713'000Cu : 0x1313'0000u);
  b.wr(kBlockSize, 0xFFFF'FFFF);
  EXPECT_EQ(b.rd(kBlockSize), 0xFFFu);
  b.wr(kWriteData, 0x1234'5678);
  EXPECT_EQ(b.rd(kWriteData), 0u);  // write-only
  // The SoC can read the block but none of its fields is writable from there (swwel = soc_req).
  uint32_t v = 0;
  EXPECT_EQ(b.dma.read(kId, 4, v, bus::Requester::soc(1)), bus::BusResult::Ok);
  EXPECT_EQ(v, 0x6776'8068u);
  b.dma.write(kByteCount, 4, 0x40, bus::Requester::soc(1));
  b.dma.write(kGlobalEn, 4, 0x3, bus::Requester::soc(1));
  EXPECT_EQ(b.rd(kByteCount), 0u);
  EXPECT_EQ(b.rd(kGlobalEn), 0u);
}

TEST_P(AxiDmaGen, PayloadAvailableAndImageActivatedInputs) {
  DmaBench b(GetParam());
  b.dma.set_payload_available(true);
  EXPECT_EQ(b.status0(), AxiDma::kPayloadAvailable);
  b.dma.set_image_activated(true);
  EXPECT_EQ(b.status0(), AxiDma::kPayloadAvailable | AxiDma::kImageActivated);
  b.dma.set_payload_available(false);
  EXPECT_EQ(b.status0(), AxiDma::kImageActivated);
}

// ---------------------------------------------------------------------------------------
// Routes

TEST_P(AxiDmaGen, AhbFifoToAxiWrite) {
  DmaBench b(GetParam());
  const Words data = pattern(16, 1);
  b.arm(0, kSram + 0x100, 64, go(Rd::Disable, Wr::AhbFifo));
  b.run(2);
  EXPECT_EQ(b.status0() & 0x3'0003, AxiDma::kBusy | 1u << AxiDma::kFsmShift);  // WAIT_DATA
  for (uint32_t w : data) b.wr(kWriteData, w);
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), 0u);
  EXPECT_EQ(b.rd(kStatus1), 0u);
  EXPECT_EQ(b.sram_read(kSram + 0x100, 16), data);
  EXPECT_EQ(b.rd(kCtrl) & AxiDma::kGo, 0u);  // hardware clears go at DONE
  EXPECT_EQ(b.rd(kNotifSts) & kNotifTxnDone, kNotifTxnDone);
  EXPECT_EQ(b.rd(kNotifCount), 1u);
  EXPECT_EQ(b.rd(kErrorSts), 0u);
}

TEST_P(AxiDmaGen, FixedWriteLeavesOnlyTheLastBeat) {
  // smoke_test_dma: "Use a FIXED transfer (only the final beat should be present at the target address)".
  DmaBench b(GetParam());
  const Words data = pattern(17, 2);
  b.sram_words(kSram + 0x204, {0x5555'5555});
  b.arm(0, kSram + 0x200, 17 * 4, go(Rd::Disable, Wr::AhbFifo, false, true));
  for (uint32_t w : data) {
    b.run(1);
    b.wr(kWriteData, w);
  }
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), 0u);
  EXPECT_EQ(b.sram_read(kSram + 0x200, 2), (Words{data.back(), 0x5555'5555}));
}

TEST_P(AxiDmaGen, AxiReadToAhbFifo) {
  DmaBench b(GetParam());
  const Words data = pattern(40, 3);
  b.sram_words(kSram + 0x3F0, data);  // crosses a 256-byte request boundary
  b.arm(kSram + 0x3F0, 0, 40 * 4, go(Rd::AhbFifo, Wr::Disable));
  Words got;
  while (got.size() < data.size()) {
    if (b.fifo_depth() == 0) {
      b.run(3);
      continue;
    }
    got.push_back(b.rd(kReadData));
  }
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(got, data);
  EXPECT_EQ(b.status0(), 0u);
  // Reading the empty FIFO answers 0 and counts an underflow.
  EXPECT_EQ(b.rd(kErrorSts), 0u);
  b.wr(kCtrl, static_cast<uint32_t>(Rd::AhbFifo) << AxiDma::kRdRouteShift);
  EXPECT_EQ(b.rd(kReadData), 0u);
  EXPECT_EQ(b.rd(kErrorSts), kErrFifoUflow);
}

TEST_P(AxiDmaGen, FixedReadFromFifoSubordinate) {
  DmaBench b(GetParam());
  const Words data = pattern(17, 4);
  b.fifo.q.assign(data.begin(), data.end());
  b.arm(kFifo, 0, 17 * 4, go(Rd::AhbFifo, Wr::Disable, true));
  Words got;
  while (got.size() < data.size()) {
    if (b.fifo_depth() == 0) {
      b.run(3);
      continue;
    }
    got.push_back(b.rd(kReadData));
  }
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(got, data);
  EXPECT_EQ(b.fifo.reads, 17u);
}

TEST_P(AxiDmaGen, AxiToAxiAcrossBursts) {
  // smoke_test_dma moves 137 words (more than two 256-byte requests).
  DmaBench b(GetParam());
  const Words data = pattern(137, 5);
  b.sram_words(kSram + 0x10, data);
  b.arm(kSram + 0x10, kSram + 0x8000, 137 * 4, go(Rd::AxiWr, Wr::AxiRd));
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), 0u);
  EXPECT_EQ(b.sram_read(kSram + 0x8000, 137), data);
  EXPECT_EQ(b.rd(kErrorSts), 0u);
}

TEST_P(AxiDmaGen, MailboxToAxiAndBack) {
  DmaBench b(GetParam());
  const Words data = pattern(16, 6);
  for (unsigned i = 0; i < 16; ++i) b.mbox.write(0x2000 + 4 * i, 4, data[i]);
  b.arm(0x2000, kSram + 0x40, 64, go(Rd::Disable, Wr::Mbox));
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), 0u);
  EXPECT_EQ(b.sram_read(kSram + 0x40, 16), data);
  // And back into the mailbox's last bytes; the mailbox address wraps at its size
  // (mbox.sv uses dma_sram_req_addr[MBOX_DEPTH_LOG2+1:2]).
  const uint32_t end = 256 * 1024 - 64;
  b.arm(kSram + 0x40, 0x1'0000'0000ull + 0x4'0000 + end, 64, go(Rd::Mbox, Wr::Disable));
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), 0u);
  for (unsigned i = 0; i < 16; ++i) EXPECT_EQ(b.mbox.read(end + 4 * i, 4), data[i]) << i;
}

TEST_P(AxiDmaGen, MailboxLockDroppedMidTransfer) {
  DmaBench b(GetParam());
  b.sram_words(kSram, pattern(256, 7));
  b.arm(kSram, 0, 1024, go(Rd::Mbox, Wr::Disable));
  b.run(40);
  b.mbox_lock = false;  // firmware releases the mailbox while the DMA writes it
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0() & 0x3'0003, kStatusError & 0x3'0003);
  EXPECT_EQ(b.rd(kErrorSts), kErrMboxLock);
  EXPECT_EQ(b.rd(kErrorCount + 0xC), 1u);  // the event is a single pulse
  EXPECT_EQ(b.mbox.read(1020, 4), 0u);     // words after the drop never reach the SRAM
  b.flush();
  EXPECT_EQ(b.status0(), 0u);
}

// ---------------------------------------------------------------------------------------
// Command decode errors (axi_dma_ctrl.sv cmd_inv_*; the cases of soc_ifc_axi_dma_inject_inv_error)

struct BadCmd {
  const char* name;
  uint64_t src, dst;
  uint32_t count, ctrl, block_size;
  bool no_mbox_lock = false;
};

void expect_cmd_error(DmaBench& b, const BadCmd& c) {
  b.mbox_lock = !c.no_mbox_lock;
  b.arm(c.src, c.dst, c.count, c.ctrl, c.block_size);
  b.run(4);
  EXPECT_EQ(b.status0(), kStatusError) << c.name;
  EXPECT_EQ(b.rd(kErrorSts), kErrCmdDec) << c.name;
  EXPECT_EQ(b.rd(kNotifSts) & kNotifTxnDone, kNotifTxnDone) << c.name;
  EXPECT_EQ(b.rd(kCtrl) & AxiDma::kGo, AxiDma::kGo) << c.name;  // go stays until the flush
  // Writes to the parameters are locked until then.
  b.wr(kByteCount, 0x1234);
  EXPECT_EQ(b.rd(kByteCount), c.count) << c.name;
  b.flush();
  EXPECT_EQ(b.status0(), 0u) << c.name;
  EXPECT_EQ(b.rd(kCtrl) & (AxiDma::kGo | AxiDma::kFlush), 0u) << c.name;
  b.wr(kErrorSts, 0xFFFF'FFFF);
  b.wr(kNotifSts, 0xFFFF'FFFF);
  b.mbox_lock = true;
}

TEST_P(AxiDmaGen, CommandDecodeErrors) {
  DmaBench b(GetParam());
  const BadCmd cases[] = {
      {"route combo ahb/ahb", kSram, kSram, 64, go(Rd::AhbFifo, Wr::AhbFifo), 0},
      {"route combo both disabled", kSram, kSram, 64, go(Rd::Disable, Wr::Disable), 0},
      {"route combo axi/disable", kSram, kSram, 64, go(Rd::AxiWr, Wr::Disable), 0},
      {"route combo mbox/mbox", 0, 0, 64, go(Rd::Mbox, Wr::Mbox), 0},
      {"src unaligned", kSram + 3, kSram + 0x4000, 64, go(Rd::AxiWr, Wr::AxiRd), 0},
      {"dst unaligned", kSram, kSram + 0x4003, 64, go(Rd::AxiWr, Wr::AxiRd), 0},
      {"src beyond 48 bits", 1ull << 48, kSram, 64, go(Rd::AxiWr, Wr::AxiRd), 0},
      {"dst beyond 48 bits", kSram, 1ull << 60, 64, go(Rd::AxiWr, Wr::AxiRd), 0},
      {"byte count 0x43", kSram, kSram + 0x4000, 0x43, go(Rd::AxiWr, Wr::AxiRd), 0},
      {"byte count 0", kSram, kSram + 0x4000, 0, go(Rd::AxiWr, Wr::AxiRd), 0},
      {"byte count above 1 MiB", kSram, kSram + 0x4000, 0x10'0004, go(Rd::AxiWr, Wr::AxiRd), 0},
      {"byte count above the mailbox", kSram, 0, 0x4'0004, go(Rd::Mbox, Wr::Disable), 0},
      {"block size 0x13", kSram, kSram + 0x4000, 64, go(Rd::AxiWr, Wr::AxiRd), 0x13},
      {"block size not a power of 2", kSram, kSram + 0x4000, 64, go(Rd::AxiWr, Wr::AxiRd), 0x30},
      {"rd fixed, rd disabled", kSram, kSram, 64, go(Rd::Disable, Wr::AhbFifo, true, false), 0},
      {"wr fixed, wr disabled", kSram, kSram, 64, go(Rd::AhbFifo, Wr::Disable, false, true), 0},
      {"mailbox not locked", kSram, 0x4000, 64, go(Rd::Mbox, Wr::Disable), 0, true},
  };
  for (const auto& c : cases) expect_cmd_error(b, c);
  EXPECT_EQ(b.rd(kErrorCount), static_cast<uint32_t>(std::size(cases)));
}

TEST(AxiDma21, CommandDecodeErrors) {
  DmaBench b(HwGen::V2_1);
  b.secrets.key_addr = kSram + 0x100;
  b.secrets.key_size = 64;
  const BadCmd cases[] = {
      {"wr route 5", kSram, kSram, 64, go(Rd::Disable, Wr::Disable) | 5u << AxiDma::kWrRouteShift, 0},
      {"wr route 7", kSram, kSram, 64, go(Rd::AxiWr, Wr::Disable) | 7u << AxiDma::kWrRouteShift, 0},
      {"key vault without OCP LOCK", 0, kSram + 0x100, 64, go(Rd::Disable, Wr::KeyVault), 0},
      {"aes route combo", kSram, kSram, 64, go(Rd::AhbFifo, Wr::Disable, false, false, true), 0},
      {"aes block size", kSram, kSram + 0x4000, 64, go(Rd::AxiWr, Wr::AxiRd, false, false, true), 0x4},
      {"aes fixed", kSram, kSram + 0x4000, 64, go(Rd::AxiWr, Wr::AxiRd, true, false, true), 0},
  };
  for (const auto& c : cases) expect_cmd_error(b, c);
  b.secrets.ocp_lock = true;
  const BadCmd kv_cases[] = {
      {"key vault, wrong address", 0, kSram + 0x104, 64, go(Rd::Disable, Wr::KeyVault), 0},
      {"key vault, wrong size", 0, kSram + 0x100, 60, go(Rd::Disable, Wr::KeyVault), 0},
      {"key vault, fixed", 0, kSram + 0x100, 64, go(Rd::Disable, Wr::KeyVault, false, true), 0},
      {"key vault with a read route", kSram, kSram + 0x100, 64, go(Rd::AxiWr, Wr::KeyVault), 0},
  };
  for (const auto& c : kv_cases) expect_cmd_error(b, c);
  b.secrets.key_size = 68;  // larger than the 512-bit slot
  expect_cmd_error(b, {"key vault, larger than a slot", 0, kSram + 0x100, 68, go(Rd::Disable, Wr::KeyVault), 0});
}

TEST(AxiDma20, WriteRouteHasTwoBits) {
  DmaBench b(HwGen::V2_0);
  b.wr(kCtrl, 7u << AxiDma::kWrRouteShift);
  EXPECT_EQ(b.rd(kCtrl), 3u << AxiDma::kWrRouteShift);
}

// ---------------------------------------------------------------------------------------
// AXI error responses: the transfer runs to its end, then the FSM reports ERROR.

TEST_P(AxiDmaGen, AxiReadErrorResponse) {
  DmaBench b(GetParam());
  b.arm(kSlvErr, kSram + 0x400, 64, go(Rd::AxiWr, Wr::AxiRd));
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), kStatusError);
  EXPECT_EQ(b.rd(kErrorSts), kErrAxiRd);
  EXPECT_EQ(b.rd(kStatus1), 0u);  // all bytes still moved
  EXPECT_EQ(b.sram_read(kSram + 0x400, 1)[0], 0xDEAD'BEEFu);
  b.flush();
  EXPECT_EQ(b.status0(), 0u);
}

TEST_P(AxiDmaGen, AxiWriteDecodeError) {
  DmaBench b(GetParam());
  b.arm(0, kUnmapped, 8, go(Rd::Disable, Wr::AhbFifo));
  b.wr(kWriteData, 1);
  b.wr(kWriteData, 2);
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), kStatusError);
  EXPECT_EQ(b.rd(kErrorSts), kErrAxiWr);
}

// ---------------------------------------------------------------------------------------
// FIFO

TEST_P(AxiDmaGen, FifoOverflowAndNotifications) {
  DmaBench b(GetParam());
  b.arm(0, kSram, 200 * 4, go(Rd::Disable, Wr::AhbFifo));
  b.run(2);
  // Firmware writes faster than the write channel drains (no time passes between writes):
  // 128 words fit, the rest are dropped as overflows.
  for (uint32_t i = 0; i < 200; ++i) b.wr(kWriteData, i);
  EXPECT_EQ(b.fifo_depth(), 128u);
  EXPECT_EQ(b.rd(kErrorSts), kErrFifoOflow);
  EXPECT_EQ(b.rd(kErrorCount + 0x14), 72u);
  b.run(2);
  EXPECT_EQ(b.rd(kNotifSts) & (kNotifNotEmpty | kNotifFull), kNotifNotEmpty | kNotifFull);
  // The write channel drains the FIFO and then waits for the missing 72 words.
  b.run(400);
  EXPECT_EQ(b.fifo_depth(), 0u);
  EXPECT_EQ(b.rd(kNotifSts) & (kNotifEmpty | kNotifNotFull), kNotifEmpty | kNotifNotFull);
  EXPECT_EQ(b.fsm(), 1u);
  EXPECT_EQ(b.rd(kStatus1), 72u * 4);
  for (uint32_t i = 0; i < 72; ++i) b.wr(kWriteData, 1000 + i);
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), 0u);
  EXPECT_EQ(b.sram_read(kSram + 127 * 4, 2), (Words{127, 1000}));
}

TEST(AxiDma20, FifoKeepsWordsWrittenWhileIdleUntilFlushed) {
  DmaBench b(HwGen::V2_0);
  b.wr(kCtrl, static_cast<uint32_t>(Wr::AhbFifo) << AxiDma::kWrRouteShift);
  b.wr(kWriteData, 1);
  b.run(2);
  EXPECT_EQ(b.fifo_depth(), 1u);  // clr_i = IDLE && flush
  b.flush();
  EXPECT_EQ(b.fifo_depth(), 0u);
}

TEST(AxiDma21, FifoIsHeldEmptyWhileIdle) {
  DmaBench b(HwGen::V2_1);
  b.wr(kCtrl, static_cast<uint32_t>(Wr::AhbFifo) << AxiDma::kWrRouteShift);
  b.wr(kWriteData, 1);
  b.run(2);
  EXPECT_EQ(b.fifo_depth(), 0u);  // clr_i = IDLE
}

// ---------------------------------------------------------------------------------------
// Busy behaviour

TEST_P(AxiDmaGen, ParametersLockedWhileBusyButFlushWritable) {
  DmaBench b(GetParam());
  b.arm(0, kSram, 64, go(Rd::Disable, Wr::AhbFifo));
  b.run(2);
  b.wr(kByteCount, 4);
  b.wr(kDstL, 0);
  b.wr(kCtrl, static_cast<uint32_t>(Rd::AxiWr) << AxiDma::kRdRouteShift);
  EXPECT_EQ(b.rd(kByteCount), 64u);
  EXPECT_EQ(b.rd(kDstL), static_cast<uint32_t>(kSram));
  EXPECT_EQ(b.rd(kCtrl), go(Rd::Disable, Wr::AhbFifo));
  // flush may be written, but only ends an ERROR; a transfer in progress goes on.
  b.wr(kCtrl, AxiDma::kFlush);
  EXPECT_EQ(b.rd(kCtrl), go(Rd::Disable, Wr::AhbFifo) | AxiDma::kFlush);
  b.run(10);
  EXPECT_EQ(b.fsm(), 1u);
  for (uint32_t i = 0; i < 16; ++i) b.wr(kWriteData, i);
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), 0u);
  EXPECT_EQ(b.rd(kCtrl) & (AxiDma::kGo | AxiDma::kFlush), 0u);
}

// ---------------------------------------------------------------------------------------
// Block size: reads wait for payload_available (the recovery interface's level)

TEST_P(AxiDmaGen, BlockSizePacesReadsOnPayloadAvailable) {
  DmaBench b(GetParam());
  // smoke_test_dma: 0x3F5C bytes from the FIFO into the mailbox, block_size 256, FIXED reads.
  constexpr uint32_t kCount = 0x3F5C;
  const Words data = pattern(kCount / 4, 8);
  b.arm(kFifo, 0, kCount, go(Rd::Mbox, Wr::Disable, true), 256);
  size_t fed = 0;
  unsigned blocks = 0;
  while (fed < data.size()) {
    // Nothing is read while payload_available is low.
    const unsigned before = b.fifo.reads;
    b.run(300);
    ASSERT_EQ(b.fifo.reads, before) << "read without payload_available, block " << blocks;
    // The recovery FIFO fills a block and raises payload_available.
    const size_t n = std::min<size_t>(64, data.size() - fed);
    b.fifo.q.insert(b.fifo.q.end(), data.begin() + fed, data.begin() + fed + n);
    fed += n;
    b.dma.set_payload_available(true);
    b.run(30);  // the first 64-byte request goes out
    b.dma.set_payload_available(false);  // payload_available drops as the block is consumed
    b.run(400);
    // Each payload_available queues 256 / 64 FIXED requests of 16 beats (or what is left).
    EXPECT_EQ(b.fifo.reads - before, n) << "block " << blocks;
    ++blocks;
  }
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), 0u);
  EXPECT_EQ(blocks, (kCount + 255) / 256);
  for (size_t i = 0; i < data.size(); ++i) ASSERT_EQ(b.mbox.read(static_cast<uint32_t>(4 * i), 4), data[i]) << i;
}

TEST_P(AxiDmaGen, PayloadAvailableAlreadyHighWhenArmed) {
  DmaBench b(GetParam());
  const Words data = pattern(32, 9);
  b.fifo.q.assign(data.begin(), data.end());
  b.dma.set_payload_available(true);
  b.arm(kFifo, 0, 128, go(Rd::Mbox, Wr::Disable, true), 64);
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), AxiDma::kPayloadAvailable);
  for (unsigned i = 0; i < 32; ++i) EXPECT_EQ(b.mbox.read(4 * i, 4), data[i]);
}

// ---------------------------------------------------------------------------------------
// Timing: one 32-bit beat per cycle on each AXI data channel, two cycles per mailbox read.

uint64_t cycles_to_done(DmaBench& b) {
  const uint64_t start = b.tl.now();
  EXPECT_TRUE(b.wait_idle_or_error(2'000'000, 1));
  return b.tl.now() - start;
}

TEST_P(AxiDmaGen, ThroughputFollowsTheDataChannels) {
  DmaBench b(GetParam());
  b.sram_words(kSram, pattern(1024, 10));
  // 4 KiB AXI to AXI: the read channel moves 1024 beats; the write side trails one
  // 256-byte burst behind it.
  b.arm(kSram, kSram + 0x8000, 4096, go(Rd::AxiWr, Wr::AxiRd));
  const uint64_t axi2axi = cycles_to_done(b);
  EXPECT_GE(axi2axi, 1024u);
  EXPECT_LE(axi2axi, 1024u + 64 + 24);
  // Mailbox to AXI: a mailbox read holds for a cycle (mbox.sv dma_sram_hold).
  b.arm(0, kSram + 0x8000, 4096, go(Rd::Disable, Wr::Mbox));
  const uint64_t mbox2axi = cycles_to_done(b);
  EXPECT_GE(mbox2axi, 2048u);
  EXPECT_LE(mbox2axi, 2048u + 64 + 24);
  // AXI to mailbox: a word per cycle.
  b.arm(kSram, 0, 4096, go(Rd::Mbox, Wr::Disable));
  const uint64_t axi2mbox = cycles_to_done(b);
  EXPECT_GE(axi2mbox, 1024u);
  EXPECT_LE(axi2mbox, 1024u + 24);
}

TEST_P(AxiDmaGen, SlowSubordinateDelaysCompletion) {
  DmaBench b(GetParam());
  b.arm(kSlow, kSram, 64, go(Rd::AxiWr, Wr::AxiRd));
  b.run(1000);
  EXPECT_EQ(b.fsm(), 1u);  // the read data is 2000 cycles away
  EXPECT_EQ(b.rd(kStatus1), 64u);
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), 0u);
}

// ---------------------------------------------------------------------------------------
// Interrupts

TEST_P(AxiDmaGen, InterruptLines) {
  DmaBench b(GetParam());
  b.wr(kGlobalEn, 0x3);
  b.wr(kNotifEn, kNotifTxnDone);
  b.wr(kErrorEn, kErrCmdDec);
  b.sram_words(kSram, pattern(4, 11));
  b.arm(kSram, kSram + 0x100, 16, go(Rd::AxiWr, Wr::AxiRd));
  b.run(200);  // nobody polls: the block's own events complete it
  EXPECT_TRUE(b.irq[kIrqAxiDmaNotif]);
  EXPECT_FALSE(b.irq[kIrqAxiDmaError]);
  b.wr(kNotifSts, kNotifTxnDone);
  EXPECT_FALSE(b.irq[kIrqAxiDmaNotif]);
  b.arm(kSram, kSram, 16, go(Rd::Disable, Wr::Disable));
  b.run(20);
  EXPECT_TRUE(b.irq[kIrqAxiDmaError]);
}

TEST_P(AxiDmaGen, TxnDoneCountsEveryOtherCycleInError) {
  // notif_txn_done_sts.hwset is "FSM in DONE or ERROR"; its count-incrementor pulse register
  // (counter, hwset, decr by itself) toggles while that holds.
  DmaBench b(GetParam());
  b.arm(kSram, kSram, 16, go(Rd::Disable, Wr::Disable));
  b.run(2);
  ASSERT_EQ(b.fsm(), 3u);
  const uint32_t c0 = b.rd(kNotifCount);
  b.run(1000);
  const uint32_t c1 = b.rd(kNotifCount);
  EXPECT_EQ(c1 - c0, 500u);
  // Clearing the status in ERROR does not stick.
  b.wr(kNotifSts, kNotifTxnDone);
  EXPECT_EQ(b.rd(kNotifSts) & kNotifTxnDone, kNotifTxnDone);
  b.flush();
  b.wr(kNotifSts, kNotifTxnDone);
  EXPECT_EQ(b.rd(kNotifSts) & kNotifTxnDone, 0u);
}

// ---------------------------------------------------------------------------------------
// The SHA-512 accelerator reached over AXI, as caliptra-sw's Dma::sha384_image drives it:
// lock and program it through the DMA (the AXI user is SS_CALIPTRA_DMA_AXI_USER), stream the
// data with an AXI-to-AXI transfer to DATAIN, and compare with FIPS 180-4's "abc" vector.

TEST_P(AxiDmaGen, ShaAcceleratorOverAxi) {
  DmaBench b(GetParam());
  Sha512Acc acc(b.ctx, b.mbox);
  b.axi.map_device("sha512_acc", kCaliptra + 0x2'1000, 0x1000, acc);
  auto axi_write_word = [&](uint64_t addr, uint32_t v) {
    b.arm(0, addr, 4, go(Rd::Disable, Wr::AhbFifo));
    b.wr(kWriteData, v);
    ASSERT_TRUE(b.wait_idle_or_error());
    ASSERT_EQ(b.status0(), 0u);
  };
  auto axi_read_word = [&](uint64_t addr) {
    b.arm(addr, 0, 4, go(Rd::AhbFifo, Wr::Disable));
    EXPECT_TRUE(b.wait_idle_or_error(100, 1) || true);
    while (b.fifo_depth() == 0) b.run(1);
    const uint32_t v = b.rd(kReadData);
    EXPECT_TRUE(b.wait_idle_or_error());
    return v;
  };
  // The core releases the accelerator's reset-time lock; the DMA's read then takes it.
  test::wr(acc, 0x00, 1);
  EXPECT_EQ(axi_read_word(kCaliptra + 0x2'1000), 0u);  // LOCK read: was free
  EXPECT_EQ(acc.reg(Sha512Acc::USER), kDmaUser);
  axi_write_word(kCaliptra + 0x2'1008, 0);  // MODE: SHA-384 streaming
  axi_write_word(kCaliptra + 0x2'1010, 3);  // DLEN
  b.sram_words(kSram, {0x6162'6300});       // "abc" as DATAIN takes it (first byte in bits 31:24)
  b.arm(kSram, kCaliptra + 0x2'1014, 4, go(Rd::AxiWr, Wr::AxiRd, false, true));
  ASSERT_TRUE(b.wait_idle_or_error());
  axi_write_word(kCaliptra + 0x2'1018, 1);  // EXECUTE
  b.run(500);
  EXPECT_EQ(axi_read_word(kCaliptra + 0x2'101C) & 1, 1u);  // STATUS.VALID
  EXPECT_EQ(words_hex(rd_words(acc, 0x20, 12)),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
}

// ---------------------------------------------------------------------------------------
// 2.1 key release: key vault slot 23 to SS_KEY_RELEASE_BASE_ADDR while OCP LOCK is in progress.

TEST(AxiDma21, KeyVaultRelease) {
  DmaBench b(HwGen::V2_1);
  const Words key = pattern(16, 12);
  ASSERT_TRUE(b.kv.write(KeyVault::kOcpLockKeyReleaseSlot, key, kv_dest(KvClient::DmaData)));
  b.secrets.ocp_lock = true;
  b.secrets.key_addr = kSram + 0x600;
  b.secrets.key_size = 64;
  b.arm(0, kSram + 0x600, 64, go(Rd::Disable, Wr::KeyVault));
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), 0u);
  EXPECT_EQ(b.sram_read(kSram + 0x600, 16), key);
  // A shorter release takes the slot's first words.
  b.secrets.key_size = 32;
  b.arm(0, kSram + 0x600 - 0x100, 32, go(Rd::Disable, Wr::KeyVault));
  b.run(2);
  EXPECT_EQ(b.status0(), kStatusError);  // the address must be the strapped one
  b.flush();
  b.arm(0, kSram + 0x600, 32, go(Rd::Disable, Wr::KeyVault));
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), 0u);
}

TEST(AxiDma21, KeyVaultReadErrors) {
  DmaBench b(HwGen::V2_1);
  b.secrets.key_addr = kSram;
  b.secrets.key_size = 64;
  // No DMA destination bit: the vault refuses the read (kv_read_error).
  ASSERT_TRUE(b.kv.write(KeyVault::kOcpLockKeyReleaseSlot, pattern(16, 13), kv_dest(KvClient::AesKey)));
  b.secrets.ocp_lock = true;
  b.arm(0, kSram, 64, go(Rd::Disable, Wr::KeyVault));
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), kStatusError);
  EXPECT_EQ(b.rd(kErrorSts), kErrKvRd);
  b.flush();
  b.wr(kErrorSts, 0xFFFF'FFFF);
  // A slot holding 8 dwords cannot fill a 64-byte release (kv_premature_done_error).
  b.secrets.ocp_lock = false;
  ASSERT_TRUE(b.kv.write(KeyVault::kOcpLockKeyReleaseSlot, pattern(8, 14), kv_dest(KvClient::DmaData)));
  b.secrets.ocp_lock = true;
  b.arm(0, kSram, 64, go(Rd::Disable, Wr::KeyVault));
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), kStatusError);
  EXPECT_EQ(b.rd(kErrorSts), kErrKvRdLarge);
}

// ---------------------------------------------------------------------------------------
// 2.1 AES mode, against a stand-in AES unit with OpenTitan's register interface that runs
// AES-128-ECB under the FIPS-197 C.1 key (the DMA's part: which words go in and out and the
// GCM byte-count updates, axi_dma_ctrl.sv AES FSM).

class FakeAes : public bus::Device {
 public:
  explicit FakeAes(bus::Timeline& tl) : tl_(tl), done_("fake_aes", [this] { finish(); }) {}
  const char* name() const override { return "fake_aes"; }
  std::vector<uint32_t> gcm_writes;
  bus::BusResult write(uint32_t off, unsigned, uint32_t v, const bus::Requester&) override {
    if (off >= 0x54 && off < 0x64) {
      in_[(off - 0x54) / 4] = v;
      in_mask_ |= 1u << ((off - 0x54) / 4);
      if (in_mask_ == 0xF) {
        in_full_ = true;
        in_mask_ = 0;
        start();
      }
    } else if (off == 0x88) {
      gcm_writes.push_back(v);
    }
    return bus::BusResult::Ok;
  }
  bus::BusResult read(uint32_t off, unsigned, uint32_t& v, const bus::Requester&) override {
    v = 0;
    if (off == 0x84) {
      v = ((!busy_ && !in_full_) ? 1u : 0) | (out_valid_ ? 8u : 0) | (!in_full_ ? 16u : 0);
    } else if (off >= 0x64 && off < 0x74) {
      const unsigned i = (off - 0x64) / 4;
      v = out_[i];
      out_read_ |= 1u << i;
      if (out_read_ == 0xF) {
        out_valid_ = false;
        out_read_ = 0;
        if (stalled_) {
          stalled_ = false;
          finish();
        }
        start();
      }
    }
    return bus::BusResult::Ok;
  }

 private:
  void start() {
    if (busy_ || !in_full_ || stalled_) return;
    std::array<uint8_t, 16> blk;
    for (unsigned i = 0; i < 16; ++i) blk[i] = static_cast<uint8_t>(in_[i / 4] >> (8 * (i % 4)));
    const auto key = crypto::from_hex("000102030405060708090a0b0c0d0e0f");
    const crypto::Bytes ct = crypto::aes_ecb_encrypt(key, crypto::ByteView(blk.data(), 16));
    for (unsigned i = 0; i < 4; ++i)
      result_[i] = uint32_t{ct[4 * i]} | uint32_t{ct[4 * i + 1]} << 8 | uint32_t{ct[4 * i + 2]} << 16 |
                   uint32_t{ct[4 * i + 3]} << 24;
    in_full_ = false;
    busy_ = true;
    tl_.schedule_in(done_, 30);
  }
  void finish() {
    if (out_valid_) {  // automatic mode stalls until the previous output is read
      stalled_ = true;
      return;
    }
    busy_ = false;
    out_ = result_;
    out_valid_ = true;
    start();
  }
  bus::Timeline& tl_;
  bus::Event done_;
  std::array<uint32_t, 4> in_{}, out_{}, result_{};
  uint32_t in_mask_ = 0, out_read_ = 0;
  bool in_full_ = false, busy_ = false, out_valid_ = false, stalled_ = false;
};

TEST(AxiDma21, AesModeEcbStream) {
  DmaBench b(HwGen::V2_1);
  FakeAes aes(b.tl);
  b.dma.set_aes(&aes);
  // Two FIPS-197 C.1 plaintext blocks in, two ciphertext blocks out.
  const Words pt = be_words(crypto::from_hex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));
  Words le(pt.size());
  for (size_t i = 0; i < pt.size(); ++i) le[i] = __builtin_bswap32(pt[i]);  // bytes in address order
  b.sram_words(kSram, le);
  b.arm(kSram, kSram + 0x1000, 32, go(Rd::AxiWr, Wr::AxiRd, false, false, true));
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), 0u);
  Words out = b.sram_read(kSram + 0x1000, 8);
  for (auto& w : out) w = __builtin_bswap32(w);
  EXPECT_EQ(words_hex(out), "69c4e0d86a7b0430d8cdb78070b4c55a69c4e0d86a7b0430d8cdb78070b4c55a");
  EXPECT_TRUE(aes.gcm_writes.empty());
}

TEST(AxiDma21, AesGcmByteCountUpdates) {
  // GCM: before the first block and before a final partial block the feeder waits for the
  // AES to idle and writes CTRL_GCM_SHADOWED twice (shadowed), phase TEXT, num_valid_bytes.
  DmaBench b(HwGen::V2_1);
  FakeAes aes(b.tl);
  b.dma.set_aes(&aes);
  b.sram_words(kSram, pattern(5, 15));
  b.arm(kSram, kSram + 0x1000, 20, go(Rd::AxiWr, Wr::AxiRd, false, false, true, true));
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.status0(), 0u);
  EXPECT_EQ(aes.gcm_writes, (std::vector<uint32_t>{16u << 6 | 8, 16u << 6 | 8, 4u << 6 | 8, 4u << 6 | 8}));
  // 20 bytes land; the rest of the second AES output block is dropped.
  b.sram_words(kSram + 0x2000, {0x7777'7777});
  b.arm(kSram, kSram + 0x2000 - 20, 20, go(Rd::AxiWr, Wr::AxiRd, false, false, true, true));
  ASSERT_TRUE(b.wait_idle_or_error());
  EXPECT_EQ(b.sram_read(kSram + 0x2000, 1)[0], 0x7777'7777u);
}

TEST(AxiDma21, AesModeWithoutAesAnswersStalls) {
  DmaBench b(HwGen::V2_1);  // no AES wired: input_ready never rises
  b.arm(kSram, kSram + 0x1000, 32, go(Rd::AxiWr, Wr::AxiRd, false, false, true));
  b.run(500);
  EXPECT_EQ(b.status0() & 0xF3'0003, AxiDma::kBusy | 1u << AxiDma::kFsmShift | 1u << AxiDma::kAesFsmShift);
}

}  // namespace
