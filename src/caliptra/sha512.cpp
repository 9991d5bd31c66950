#include "caliptra/sha512.h"

#include "caliptra/pcrvault.h"
#include "crypto/sha.h"

namespace calemu::caliptra {

namespace {

// sha512_params_pkg.sv
constexpr uint32_t kName[2] = {0x61327368, 0x31322d35};     // "sha2-512"
constexpr uint32_t kVersion[2] = {0x3830302e, 0x00000000};  // "0.80"

// sha512_h_constants.v: the initial hash values of FIPS 180-4 §5.3.6.1/§5.3.6.2/§5.3.4/§5.3.5.
constexpr uint64_t kIv[4][8] = {
    {0x8C3D37C819544DA2, 0x73E1996689DCD4D6, 0x1DFAB7AE32FF9C82, 0x679DD514582F9FCF,
     0x0F6D2B697BD44DA8, 0x77E36F7304C48942, 0x3F9D85A86A1D36C8, 0x1112E6AD91D692A1},
    {0x22312194FC2BF72C, 0x9F555FA3C84C64C2, 0x2393B86B6F53B151, 0x963877195940EABD,
     0x96283EE2A88EFFE3, 0xBE5E1E2553863992, 0x2B0199FC2C85B8AA, 0x0EB72DDC81C52CA2},
    {0xCBBB9D5DC1059ED8, 0x629A292A367CD507, 0x9159015A3070DD17, 0x152FECD8F70E5939,
     0x67332667FFC00B31, 0x8EB44A8768581511, 0xDB0C2E0D64F98FA7, 0x47B5481DBEFA4FA4},
    {0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
     0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179},
};
// sha512.sv get_mask: digest dwords kept per mode.
constexpr unsigned kDigestWords[4] = {7, 8, 12, 16};

// CTRL fields.
constexpr uint32_t kInit = 1u << 0, kNext = 1u << 1, kZeroize = 1u << 4, kLast = 1u << 5, kRestore = 1u << 6;

}  // namespace

Sha512::Sha512(BlockContext& ctx)
    : bus::RegBlock("sha512", is_2x(ctx.hw) ? std::span<const bus::RegDef>(kRegs2x) : kRegs, kSize),
      ctx_(ctx),
      v2_(is_2x(ctx.hw)),
      intr_({"error0", "error1", "error2", "error3"}, {"notif_cmd_done"},
            [&ctx](bool err, bool notif) {
              if (ctx.set_irq) {
                ctx.set_irq(kIrqSha512Error, err);
                ctx.set_irq(kIrqSha512Notif, notif);
              }
            }),
      vault_rd_(ctx.timeline, "sha512.vault_rd", *this, SHA512_VAULT_RD_STATUS),
      kv_wr_(ctx.timeline, "sha512.kv_wr", *this, SHA512_KV_WR_STATUS),
      core_done_("sha512.core", [this] { core_done(); }),
      gen_step_("sha512.gen_pcr_hash", [this] { gen_step(); }) {
  attach(0x800, intr_);
  clear_state();
}

void Sha512::clear_state() {
  ctx_.timeline.cancel(core_done_);
  ctx_.timeline.cancel(gen_step_);
  vault_rd_.reset();
  kv_wr_.reset();
  h_ = {};
  busy_ = false;
  core_last_ = false;
  mode_ = kSha384;
  last_ = false;
  block_lock_ = 0;
  kv_read_data_present_ = false;
  pcr_hash_extend_ip_ = false;
  hash_extend_entry_ = 0;
  kv_reg_ = {};
  pcr_sign_ = {};
  gen_hash_ip_ = gen_wait_core_ = false;
  gen_block_ = 0;
  gen_message_.clear();
  reg(SHA512_STATUS) = 1;  // the core idles ready one cycle after reset
  update_gen_status();
}

void Sha512::reset(bus::ResetKind kind) {
  if (kind == bus::ResetKind::FwUpdate) return;  // the engine is on cptra_rst_b
  bus::RegBlock::reset(kind);
  clear_state();
}

// sha512.sv zeroize_reg: the core, digest, result and read/write clients return to reset;
// BLOCK dwords clear unless locked (2.1: all of them). pcr_hash_extend_ip has no zeroize
// term, nor, in 1.x, the block locks and the gen_pcr_hash FSM, so a zeroize in the middle
// of those flows leaves them waiting, as in the RTL; 2.x pv_gen_hash.sv returns to idle.
void Sha512::zeroize() {
  ctx_.timeline.cancel(core_done_);
  busy_ = false;
  h_ = {};
  kv_reg_ = {};
  pcr_sign_ = {};
  kv_read_data_present_ = false;
  vault_rd_.abort();
  kv_wr_.abort();
  for (unsigned i = 0; i < 16; ++i) reg(SHA512_DIGEST, i) = 0;
  for (unsigned i = 0; i < def(SHA512_GEN_PCR_HASH_DIGEST).count_; ++i) reg(SHA512_GEN_PCR_HASH_DIGEST, i) = 0;
  const uint32_t spared = ctx_.hw == HwGen::V2_1 ? 0 : block_lock_;
  for (unsigned i = 0; i < 32; ++i)
    if (!(spared >> i & 1)) reg(SHA512_BLOCK, i) = 0;
  reg(SHA512_STATUS) = 1;
  if (v2_) {
    block_lock_ = 0;
    ctx_.timeline.cancel(gen_step_);
    gen_hash_ip_ = gen_wait_core_ = false;
    update_gen_status();
    return;
  }
  update_gen_status();
  // A filled gen_pcr_hash block waiting for the core now finds it ready (and hashes on from
  // the zeroized state); if the last block was in flight, its digest never comes.
  if (gen_hash_ip_ && gen_wait_core_) gen_step();
}

bool Sha512::read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester&) {
  if (id == SHA512_NAME) value = kName[index];
  if (id == SHA512_VERSION) value = kVersion[index];
  return true;
}

// 2.x sha512.sv swwe: VAULT_RD_CTRL while no vault data is present, the core is ready and
// gen_pcr_hash idle; KV_WR_CTRL while the core and the write client are ready and
// gen_pcr_hash idle; the reserved bits as the rest in 2.0, never in 2.1.
uint32_t Sha512::kv_ctrl_writable(unsigned id) const {
  const bool v20 = ctx_.hw == HwGen::V2_0;
  if (id == SHA512_VAULT_RD_CTRL) {
    if (kv_read_data_present_ || busy_ || gen_hash_ip_) return 0;
    return v20 ? 0xFFFF'FFFF : 0x7F;
  }
  if (busy_ || !kv_wr_.ready() || gen_hash_ip_) return 0;
  return v20 ? 0xFFFF'FFFF : 0x7FFF;
}

bus::RegBlock::Verdict Sha512::write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old,
                                          const bus::Requester&) {
  switch (id) {
    case SHA512_BLOCK:
      // BLOCK swwel: dwords filled by the vault read or gen_pcr_hash are locked until
      // INIT/NEXT; in 2.1 gen_pcr_hash locks them only while it runs.
      if ((block_lock_ >> index & 1) || (v2_ && gen_hash_ip_)) return Verdict::Ignore;
      break;
    case SHA512_VAULT_RD_CTRL:
    case SHA512_KV_WR_CTRL:
      if (v2_) {
        const uint32_t w = kv_ctrl_writable(id);
        next = (next & w) | (old & ~w);
      }
      break;
    default: break;
  }
  return Verdict::Store;
}

void Sha512::after_write(unsigned id, unsigned, uint32_t, const bus::Requester&) {
  switch (id) {
    case SHA512_CTRL: on_ctrl(reg(SHA512_CTRL)); break;
    case SHA512_VAULT_RD_CTRL: on_vault_read(reg(SHA512_VAULT_RD_CTRL)); break;
    case SHA512_GEN_PCR_HASH_CTRL:
      if ((reg(SHA512_GEN_PCR_HASH_CTRL) & 1) && !(v2_ && busy_)) on_gen_pcr_hash_start();
      reg(SHA512_GEN_PCR_HASH_CTRL) = 0;  // START is a single pulse
      break;
    default: break;
  }
}

void Sha512::on_ctrl(uint32_t v) {
  if (v & kZeroize) {
    zeroize();
    return;
  }
  if (v2_ && busy_) return;  // 2.x: every field but ZEROIZE has swwe = sha512_ready
  mode_ = (v >> 2) & 3;
  last_ = (v & kLast) != 0;
  // INIT/NEXT are masked while a vault read runs, while the core is busy, and while
  // gen_pcr_hash owns the core.
  if (!(v & (kInit | kNext)) || gen_hash_ip_ || !vault_rd_.ready() || busy_) return;
  std::array<uint32_t, 32> block;
  for (unsigned i = 0; i < 32; ++i) block[i] = reg(SHA512_BLOCK, i);
  core_last_ = last_;
  // sha512_core.v: RESTORE only qualifies NEXT, and INIT wins over both.
  start_core((v & kInit) != 0, v2_ && (v & kRestore), mode_, block);
}

void Sha512::start_core(bool init, bool restore, unsigned mode, const std::array<uint32_t, 32>& block) {
  if (init) {
    std::copy(std::begin(kIv[mode]), std::end(kIv[mode]), h_.begin());
  } else if (restore) {  // restore_digest = DIGEST[0..15], DIGEST[0] most significant
    for (unsigned i = 0; i < 8; ++i)
      h_[i] = uint64_t{reg(SHA512_DIGEST, 2 * i)} << 32 | reg(SHA512_DIGEST, 2 * i + 1);
  }
  core_block_ = block;
  core_mode_ = mode;
  busy_ = true;
  block_lock_ = 0;  // released once INIT/NEXT is seen
  reg(SHA512_STATUS) = 0;
  update_gen_status();
  ctx_.timeline.schedule_in(core_done_, kCyclesPerBlock);
}

// kv_write_ctrl_reg_q: during a PCR extend the write is forced on, to the extended PCR.
bool Sha512::write_to_vault() const { return pcr_hash_extend_ip_ || (reg(SHA512_KV_WR_CTRL) & 1); }

void Sha512::core_done() {
  uint8_t bytes[128];
  for (unsigned i = 0; i < 32; ++i)
    for (unsigned b = 0; b < 4; ++b) bytes[4 * i + b] = static_cast<uint8_t>(core_block_[i] >> (24 - 8 * b));
  crypto::sha512_compress(h_.data(), bytes);
  busy_ = false;

  // 1.x masks the digest by the mode the core reports now (mode_reg is combinational in
  // sha512.sv); 2.x shows the whole state.
  const unsigned mode = gen_hash_ip_ ? unsigned{v2_ ? kSha512 : kSha384} : mode_;
  const unsigned words = v2_ ? 16 : kDigestWords[mode];
  std::array<uint32_t, 16> digest{};
  for (unsigned i = 0; i < words; ++i) digest[i] = static_cast<uint32_t>(h_[i / 2] >> (i % 2 ? 0 : 32));

  const bool dest_data_avail = core_last_;
  if (write_to_vault() || kv_read_data_present_)
    std::copy(digest.begin(), digest.begin() + 12, kv_reg_.begin());
  else
    for (unsigned i = 0; i < 16; ++i) reg(SHA512_DIGEST, i) = digest[i];
  reg(SHA512_STATUS) = 0x3;
  last_ = false;  // LAST is hwclr'd by the digest-valid edge
  intr_.notif_event(0);

  if (dest_data_avail && gen_hash_ip_) {
    const unsigned n = def(SHA512_GEN_PCR_HASH_DIGEST).count_;
    pcr_sign_ = {};
    std::copy(digest.begin(), digest.begin() + n, pcr_sign_.begin());
    for (unsigned i = 0; i < n; ++i) reg(SHA512_GEN_PCR_HASH_DIGEST, i) = pcr_sign_[i];
    reg(SHA512_GEN_PCR_HASH_STATUS) |= 2;
    gen_hash_ip_ = false;
  }
  if (dest_data_avail && kv_read_data_present_) {
    kv_read_data_present_ = false;
    for (unsigned i = 0; i < 32; ++i) reg(SHA512_BLOCK, i) = 0;
  }
  if (dest_data_avail && write_to_vault() && kv_wr_.ready()) {
    reg(SHA512_KV_WR_CTRL) &= ~1u;  // write_en clears while the write client runs
    kv_wr_.start(kv::kCyclesKeyCopy, kv::Error::Success, [this] {
      if (pcr_hash_extend_ip_ && ctx_.pv) ctx_.pv->write(hash_extend_entry_, std::span<const uint32_t, 12>(kv_reg_));
      pcr_hash_extend_ip_ = false;
      update_gen_status();
    });
  }
  if (gen_hash_ip_ && gen_wait_core_) gen_step();
  update_gen_status();
}

void Sha512::on_vault_read(uint32_t v) {
  const kv::ReadCtrl rc = kv::ReadCtrl::decode(v);
  reg(SHA512_VAULT_RD_CTRL) &= ~1u;  // read_en clears as soon as the client leaves IDLE
  if (!rc.read_en || !vault_rd_.ready()) return;
  if (rc.pcr_hash_extend) {
    pcr_hash_extend_ip_ = true;
    hash_extend_entry_ = rc.entry;
    update_gen_status();
    vault_rd_.start(kv::kCyclesKeyCopy, kv::Error::Success, [this] {
      const PcrVault::Pcr pcr = ctx_.pv ? ctx_.pv->read(hash_extend_entry_) : PcrVault::Pcr{};
      for (unsigned i = 0; i < 12; ++i) reg(SHA512_BLOCK, i) = pcr[i];
      block_lock_ |= 0xFFF;
    });
  } else {
    // The read client is connected to nothing outside an extend: it waits for a last dword
    // that never comes, refilling BLOCK with PCR0 dword 0, until a zeroize.
    kv_read_data_present_ = true;
    const uint32_t w = ctx_.pv ? ctx_.pv->read(0)[0] : 0;
    for (unsigned i = 0; i < 32; ++i) reg(SHA512_BLOCK, i) = w;
    block_lock_ = 0xFFFF'FFFF;
    vault_rd_.hang(kv::Error::Success);
  }
}

// pv_gen_hash.sv: the message is PCR0..PCR31 (12 dwords each), the nonce from its last
// register to its first, then SHA-384 padding for 12544 bits, fed as 13 blocks.
void Sha512::on_gen_pcr_hash_start() {
  reg(SHA512_GEN_PCR_HASH_STATUS) &= ~2u;  // VALID hwclr on start
  if (gen_hash_ip_) return;
  gen_message_.clear();
  for (unsigned p = 0; p < PcrVault::kPcrs; ++p) {
    const PcrVault::Pcr pcr = ctx_.pv ? ctx_.pv->read(p) : PcrVault::Pcr{};
    gen_message_.insert(gen_message_.end(), pcr.begin(), pcr.end());
  }
  for (unsigned i = 0; i < 8; ++i) gen_message_.push_back(reg(SHA512_GEN_PCR_HASH_NONCE, 7 - i));
  gen_message_.push_back(0x8000'0000);
  while (gen_message_.size() % 32 != 28) gen_message_.push_back(0);
  const uint32_t bits = PcrVault::kPcrs * PcrVault::kWords * 32 + 256;
  gen_message_.insert(gen_message_.end(), {0, 0, 0, bits});
  gen_hash_ip_ = true;
  gen_block_ = 0;
  gen_wait_core_ = false;
  update_gen_status();
  ctx_.timeline.schedule_in(gen_step_, kCyclesBlockFill);
}

// A block is filled: it waits for the core, then starts (INIT for the first, NEXT after).
void Sha512::gen_step() {
  if (busy_) {
    gen_wait_core_ = true;
    return;
  }
  gen_wait_core_ = false;
  const unsigned blocks = static_cast<unsigned>(gen_message_.size() / 32);
  if (gen_block_ >= blocks) return;
  std::array<uint32_t, 32> block;
  for (unsigned i = 0; i < 32; ++i) block[i] = reg(SHA512_BLOCK, i) = gen_message_[gen_block_ * 32 + i];
  core_last_ = gen_block_ + 1 == blocks;
  start_core(gen_block_ == 0, false, v2_ ? kSha512 : kSha384, block);
  // 1.x/2.0 block_reg_lock_nxt is all ones while gen_hash_ip (and stays so until the next
  // INIT/NEXT); 2.1 locks through swwel while gen_hash_ip only.
  if (ctx_.hw != HwGen::V2_1) block_lock_ = 0xFFFF'FFFF;
  ++gen_block_;
  if (gen_block_ < blocks) {
    // The next block is written while this one runs; it then waits for core_ready.
    gen_wait_core_ = false;
    ctx_.timeline.schedule_in(gen_step_, kCyclesBlockFill);
  }
}

void Sha512::update_gen_status() {
  const bool ready = !gen_hash_ip_ && !pcr_hash_extend_ip_ && !busy_;
  reg(SHA512_GEN_PCR_HASH_STATUS) = (reg(SHA512_GEN_PCR_HASH_STATUS) & 2) | (ready ? 1 : 0);
}

}  // namespace calemu::caliptra
