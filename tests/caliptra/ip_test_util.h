// A bench for the Caliptra crypto blocks: a timeline to advance, the vaults, fake SoC
// secrets, interrupt lines captured by PIC id, and word/byte helpers. Tests drive the
// blocks only through their registers, as firmware would.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "bus/device.h"
#include "bus/regfile.h"
#include "bus/timeline.h"
#include "caliptra/block_context.h"
#include "caliptra/keyvault.h"
#include "caliptra/pcrvault.h"
#include "crypto/bytes.h"

namespace calemu::caliptra::test {

using Words = std::vector<uint32_t>;

struct FakeSecrets : SocSecrets {
  std::vector<uint32_t> uds = std::vector<uint32_t>(12);
  std::array<uint32_t, 8> fe{};
  std::array<uint32_t, 8> obf{};
  std::array<uint32_t, 8> hek{};
  bool locked = true;
  bool ocp_lock = false, ocp_lock_strap = false;
  std::vector<uint32_t> csr_key;
  uint32_t release_size = 0;
  int clears = 0;
  std::span<const uint32_t> uds_seed() const override { return uds; }
  std::span<const uint32_t> field_entropy() const override { return fe; }
  std::span<const uint32_t> obf_key() const override { return obf; }
  std::span<const uint32_t> hek_seed() const override { return hek; }
  bool debug_locked() const override { return locked; }
  bool ocp_lock_in_progress() const override { return ocp_lock; }
  bool ocp_lock_en() const override { return ocp_lock_strap; }
  std::span<const uint32_t> csr_hmac_key() const override { return csr_key; }
  uint32_t key_release_size() const override { return release_size; }
  void clear_obf_secrets() override {
    ++clears;
    std::fill(uds.begin(), uds.end(), 0);
    fe = {};
    obf = {};
  }
};

struct Bench {
  bus::Timeline tl;
  std::map<unsigned, bool> irq;
  FakeSecrets secrets;
  BlockContext ctx;
  KeyVault kv;
  PcrVault pv;

  explicit Bench(HwGen hw = HwGen::V1, uint64_t seed = 1)
      : ctx{.hw = hw,
            .timeline = tl,
            .set_irq = [this](unsigned src, bool level) { irq[src] = level; },
            .kv = nullptr,
            .pv = nullptr,
            .secrets = &secrets,
            .mbox_sram = nullptr,
            .seed = seed},
        kv(ctx),
        pv(ctx) {
    ctx.kv = &kv;
    ctx.pv = &pv;
  }

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
  // Advances event by event until pred holds; false if it never does within max_cycles.
  bool run_until(const std::function<bool()>& pred, uint64_t max_cycles = 5'000'000) {
    const uint64_t end = tl.now() + max_cycles;
    while (!pred()) {
      const uint64_t next = tl.next_deadline();
      if (next > end) return false;
      tl.advance_to(next);
      tl.run_due();
    }
    return true;
  }
};

inline uint32_t rd(bus::Device& b, uint32_t off) {
  uint32_t v = 0;
  b.read(off, 4, v, bus::Requester::cpu());
  return v;
}
inline void wr(bus::Device& b, uint32_t off, uint32_t v) { b.write(off, 4, v, bus::Requester::cpu()); }
inline void wr_words(bus::Device& b, uint32_t off, std::span<const uint32_t> w) {
  for (size_t i = 0; i < w.size(); ++i) wr(b, off + 4 * static_cast<uint32_t>(i), w[i]);
}
inline Words rd_words(bus::Device& b, uint32_t off, unsigned n) {
  Words w(n);
  for (unsigned i = 0; i < n; ++i) w[i] = rd(b, off + 4 * i);
  return w;
}

// Big-endian words from bytes (zero-padded to whole words) and back.
inline Words be_words(crypto::ByteView b) {
  Words w((b.size() + 3) / 4, 0);
  for (size_t i = 0; i < b.size(); ++i) w[i / 4] |= uint32_t{b[i]} << (24 - 8 * (i % 4));
  return w;
}
// Little-endian words (byte i in bits 8(i%4) of word i/4, as the AES data and Adams Bridge
// registers hold byte strings) and back; le_bytes keeps the first n bytes.
inline Words le_words(crypto::ByteView b) {
  Words w((b.size() + 3) / 4, 0);
  for (size_t i = 0; i < b.size(); ++i) w[i / 4] |= uint32_t{b[i]} << (8 * (i % 4));
  return w;
}
inline crypto::Bytes le_bytes(const Words& w, size_t n) {
  crypto::Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(w[i / 4] >> (8 * (i % 4)));
  return b;
}
inline crypto::Bytes le_bytes(const Words& w) { return le_bytes(w, 4 * w.size()); }
inline Words hex_words(const std::string& hex) { return be_words(crypto::from_hex(hex)); }
inline std::string words_hex(const Words& w) {
  crypto::Bytes b;
  for (uint32_t x : w)
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(x >> s));
  return crypto::to_hex(b);
}
inline crypto::Bytes ascii(const std::string& s) { return crypto::Bytes(s.begin(), s.end()); }

// FIPS 180-4 §5.1 padding into blocks of block_bytes (64 or 128), as big-endian words;
// extra_bits is added to the encoded length (HMAC's inner hash counts the key block).
inline Words sha_pad(crypto::ByteView msg, unsigned block_bytes, uint64_t extra_bits = 0) {
  crypto::Bytes m(msg.begin(), msg.end());
  const unsigned len_bytes = block_bytes == 64 ? 8 : 16;
  m.push_back(0x80);
  while (m.size() % block_bytes != block_bytes - len_bytes) m.push_back(0);
  const uint64_t bits = msg.size() * 8 + extra_bits;
  for (unsigned i = 0; i < len_bytes; ++i)
    m.push_back(i + 8 < len_bytes ? 0 : static_cast<uint8_t>(bits >> (8 * (len_bytes - 1 - i))));
  return be_words(m);
}

}  // namespace calemu::caliptra::test
