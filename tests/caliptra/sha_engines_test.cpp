// SHA-512 and SHA-256 engines through their registers, against FIPS 180-4 examples and
// the NIST CSRC example values, the PCR hash-extend/gen_pcr_hash paths against SHA-384 of
// the message the RTL builds, and the Winternitz chain against RFC 8554's definition.
#include <gtest/gtest.h>

#include "caliptra/sha256.h"
#include "caliptra/sha512.h"
#include "crypto/sha.h"
#include "ip_test_util.h"

using namespace calemu::caliptra;
using namespace calemu::caliptra::test;
using calemu::crypto::Bytes;

namespace {

// Register offsets (sha512_reg.rdl, sha256_reg.rdl).
constexpr uint32_t k512Ctrl = 0x10, k512Status = 0x18, k512Block = 0x80, k512Digest = 0x100;
constexpr uint32_t k512VaultRdCtrl = 0x600, k512VaultRdStatus = 0x604, k512KvWrCtrl = 0x608, k512KvWrStatus = 0x60C;
constexpr uint32_t k512Nonce = 0x610, k512GenCtrl = 0x630, k512GenStatus = 0x634, k512GenDigest = 0x638;
constexpr uint32_t k256Ctrl = 0x10, k256Status = 0x18, k256Block = 0x80, k256Digest = 0x100;

const std::string kTwoBlock512 =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
const std::string kTwoBlock256 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

// Hashes msg with the SHA-512 engine in `mode`, returning all 16 DIGEST words.
Words sha512_engine(Bench& b, Sha512& sha, const Bytes& msg, unsigned mode) {
  const Words padded = sha_pad(msg, 128);
  for (size_t blk = 0; blk < padded.size() / 32; ++blk) {
    wr_words(sha, k512Block, std::span<const uint32_t>(padded).subspan(blk * 32, 32));
    wr(sha, k512Ctrl, (blk == 0 ? 1u : 2u) | mode << 2);
    EXPECT_EQ(rd(sha, k512Status) & 1, 0u) << "READY drops while the block is processed";
    EXPECT_TRUE(b.run_until([&] { return rd(sha, k512Status) & 2; }));
  }
  return rd_words(sha, k512Digest, 16);
}

Words sha256_engine(Bench& b, Sha256& sha, const Bytes& msg, bool sha256) {
  const Words padded = sha_pad(msg, 64);
  for (size_t blk = 0; blk < padded.size() / 16; ++blk) {
    wr_words(sha, k256Block, std::span<const uint32_t>(padded).subspan(blk * 16, 16));
    wr(sha, k256Ctrl, (blk == 0 ? 1u : 2u) | (sha256 ? 4u : 0u) | 4u << 5);
    EXPECT_TRUE(b.run_until([&] { return rd(sha, k256Status) & 2; }));
  }
  return rd_words(sha, k256Digest, 8);
}

std::string head_hex(const Words& w, unsigned n) { return words_hex(Words(w.begin(), w.begin() + n)); }

}  // namespace

// FIPS 180-4 / NIST CSRC "Examples with intermediate values": "abc" and the 896-bit message.
TEST(Sha512Engine, AllModesMatchFips180Examples) {
  Bench b;
  Sha512 sha(b.ctx);
  EXPECT_EQ(rd(sha, 0x0), 0x61327368u);  // NAME "sha2-512"
  EXPECT_EQ(rd(sha, 0x4), 0x31322d35u);
  EXPECT_EQ(rd(sha, k512Status), 1u);    // READY after reset
  struct Case { unsigned mode; const char* msg; unsigned words; const char* digest; };
  const Case cases[] = {
      {3, "abc", 16, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
      {2, "abc", 12, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
      {0, "abc", 7, "4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa"},
      {1, "abc", 8, "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"},
      {3, kTwoBlock512.c_str(), 16, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"},
      {2, kTwoBlock512.c_str(), 12, "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"},
  };
  for (const Case& c : cases) {
    const Words d = sha512_engine(b, sha, ascii(c.msg), c.mode);
    EXPECT_EQ(head_hex(d, c.words), c.digest) << "mode " << c.mode << " " << c.msg;
    for (unsigned i = c.words; i < 16; ++i) EXPECT_EQ(d[i], 0u) << "digest words beyond the mode read 0";
  }
}

TEST(Sha512Engine, RegistersFirmwareCannotRead) {
  Bench b;
  Sha512 sha(b.ctx);
  wr(sha, k512Block, 0x12345678);
  EXPECT_EQ(rd(sha, k512Block), 0u) << "BLOCK is write-only";
  wr(sha, k512Ctrl, 0x8);
  EXPECT_EQ(rd(sha, k512Ctrl), 0u) << "CTRL is write-only";
  wr(sha, k512Digest, 0xFFFFFFFF);
  EXPECT_EQ(rd(sha, k512Digest), 0u) << "DIGEST is read-only";
}

TEST(Sha512Engine, ZeroizeClearsDigestAndNotifiesDone) {
  Bench b;
  Sha512 sha(b.ctx);
  wr(sha, 0x800, 0x2);  // global notif enable
  wr(sha, 0x808, 0x1);  // notif_cmd_done enable
  sha512_engine(b, sha, ascii("abc"), 3);
  EXPECT_TRUE(b.irq[kIrqSha512Notif]);
  EXPECT_EQ(rd(sha, 0x818), 1u);  // notif_internal_intr_r
  wr(sha, 0x818, 1);
  EXPECT_FALSE(b.irq[kIrqSha512Notif]);
  wr(sha, k512Ctrl, 0x10);  // ZEROIZE
  EXPECT_EQ(rd_words(sha, k512Digest, 16), Words(16, 0));
  EXPECT_EQ(rd(sha, k512Status), 1u);
}

// PCR extend as the 1.x firmware does it: read PCR n into BLOCK[0..11] (locked), add the
// measurement and padding, INIT|LAST in SHA-384; the result lands in PCR n, not DIGEST.
TEST(Sha512Engine, PcrHashExtend) {
  Bench b;
  Sha512 sha(b.ctx);
  const Bytes meas = calemu::crypto::sha384(ascii("measurement"));
  const Bytes old_pcr = calemu::crypto::sha384(ascii("previous"));
  Words pcr_words = be_words(old_pcr);
  b.pv.write(5, std::span<const uint32_t, 12>(pcr_words.data(), 12));

  wr(sha, k512VaultRdCtrl, 1 | 5 << 1 | 1 << 6);
  EXPECT_EQ(rd(sha, k512VaultRdStatus) & 3, 0u);
  ASSERT_TRUE(b.run_until([&] { return rd(sha, k512VaultRdStatus) & 2; }));
  EXPECT_EQ(rd(sha, k512VaultRdStatus), 3u);  // READY, VALID, SUCCESS
  Bytes msg = old_pcr;
  msg.insert(msg.end(), meas.begin(), meas.end());
  const Words padded = sha_pad(msg, 128);
  wr_words(sha, k512Block, padded);  // dwords 0..11 are locked and keep the PCR
  wr(sha, k512Block, 0xDEADBEEF);     // no effect
  wr(sha, k512Ctrl, 1 | 2 << 2 | 1 << 5);
  ASSERT_TRUE(b.run_until([&] { return (rd(sha, k512KvWrStatus) & 3) == 3; }));
  const PcrVault::Pcr pcr = b.pv.read(5);
  EXPECT_EQ(words_hex(Words(pcr.begin(), pcr.end())), calemu::crypto::to_hex(calemu::crypto::sha384(msg)));
  EXPECT_EQ(rd_words(sha, k512Digest, 16), Words(16, 0)) << "an extend result never shows in DIGEST";
  EXPECT_EQ(rd(b.pv, 0x600 + 5 * 48), pcr[0]) << "firmware reads the new PCR";
  EXPECT_EQ(rd(sha, k512GenStatus) & 1, 1u);
}

// pv_gen_hash.sv: SHA-384(PCR0 || ... || PCR31 || NONCE[7] || ... || NONCE[0]).
TEST(Sha512Engine, GenPcrHash) {
  Bench b;
  Sha512 sha(b.ctx);
  Bytes msg;
  for (unsigned p = 0; p < 32; ++p) {
    const Bytes v = calemu::crypto::sha384(Bytes{static_cast<uint8_t>(p)});
    const Words w = be_words(v);
    b.pv.write(p, std::span<const uint32_t, 12>(w.data(), 12));
    msg.insert(msg.end(), v.begin(), v.end());
  }
  Words nonce(8);
  for (unsigned i = 0; i < 8; ++i) nonce[i] = 0x01020304u * (i + 1);
  wr_words(sha, k512Nonce, nonce);
  for (int i = 7; i >= 0; --i)
    for (int s = 24; s >= 0; s -= 8) msg.push_back(static_cast<uint8_t>(nonce[i] >> s));
  wr(sha, k512GenCtrl, 1);
  EXPECT_EQ(rd(sha, k512GenStatus) & 1, 0u);
  ASSERT_TRUE(b.run_until([&] { return rd(sha, k512GenStatus) & 2; }));
  EXPECT_EQ(words_hex(rd_words(sha, k512GenDigest, 12)), calemu::crypto::to_hex(calemu::crypto::sha384(msg)));
  const auto sig_hash = sha.pcr_signing_hash();
  EXPECT_EQ(Words(sig_hash.begin(), sig_hash.begin() + 12), rd_words(sha, k512GenDigest, 12));
  EXPECT_EQ(Words(sig_hash.begin() + 12, sig_hash.end()), Words(4, 0));
}

// In 1.x the SHA-512 key-vault write port is tied off: a write-enabled digest is hidden
// from DIGEST, the write status says done/SUCCESS, and the vault is untouched.
TEST(Sha512Engine, KvWriteIsTiedOffIn1x) {
  Bench b;
  Sha512 sha(b.ctx);
  wr(sha, k512KvWrCtrl, 1 | 3 << 1 | 1 << 6);
  const Words padded = sha_pad(ascii("abc"), 128);
  wr_words(sha, k512Block, padded);
  wr(sha, k512Ctrl, 1 | 2 << 2 | 1 << 5);
  ASSERT_TRUE(b.run_until([&] { return (rd(sha, k512KvWrStatus) & 3) == 3; }));
  EXPECT_EQ(rd(sha, k512KvWrStatus) >> 2, 0u);
  EXPECT_EQ(rd_words(sha, k512Digest, 16), Words(16, 0));
  EXPECT_EQ(b.kv.ctrl(3), 0u);
  EXPECT_EQ(rd(sha, k512KvWrCtrl) & 1, 0u) << "write_en clears when the write client runs";
}

TEST(Sha256Engine, Sha256AndSha224MatchFips180Examples) {
  Bench b;
  Sha256 sha(b.ctx);
  EXPECT_EQ(rd(sha, 0x0), 0x61327368u);
  EXPECT_EQ(rd(sha, k256Status), 1u);
  EXPECT_EQ(words_hex(sha256_engine(b, sha, ascii("abc"), true)),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(words_hex(sha256_engine(b, sha, ascii(kTwoBlock256), true)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  const Words d224 = sha256_engine(b, sha, ascii("abc"), false);
  EXPECT_EQ(head_hex(d224, 7), "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
  EXPECT_EQ(d224[7], 0u);
}

TEST(Sha256Engine, InitAndNextTogetherRaiseError1) {
  Bench b;
  Sha256 sha(b.ctx);
  wr(sha, 0x800, 1);
  wr(sha, 0x804, 0xF);
  wr(sha, k256Ctrl, 3 | 4);
  EXPECT_EQ(rd(sha, 0x814), 2u);
  EXPECT_TRUE(b.irq[kIrqSha256Error]);
}

namespace {

// RFC 8554 §4.5 chain step: tmp = H(I || u32str(q) || u16str(i) || u8str(j) || tmp),
// truncated to n bytes (SHA-256/192 for n = 24, SP 800-208).
Bytes chain(const Bytes& prefix22, unsigned a, unsigned last_j, Bytes tmp) {
  const size_t n = tmp.size();
  for (unsigned j = a; j <= last_j; ++j) {
    Bytes m = prefix22;
    m.push_back(static_cast<uint8_t>(j));
    m.insert(m.end(), tmp.begin(), tmp.end());
    Bytes h = calemu::crypto::sha256(m);
    tmp.assign(h.begin(), h.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return tmp;
}

}  // namespace

// The Winternitz accelerator: firmware supplies the block for j = a; the engine finishes
// the chain up to j = 2^w - 2.
TEST(Sha256Engine, WinternitzChainMatchesRfc8554) {
  Bench b;
  Sha256 sha(b.ctx);
  Bytes prefix(22);
  for (unsigned i = 0; i < 22; ++i) prefix[i] = static_cast<uint8_t>(0x30 + i);
  struct Case { unsigned w; unsigned a; unsigned n; };
  for (const Case c : {Case{4, 3, 32}, Case{4, 0, 24}, Case{2, 1, 32}, Case{8, 250, 24}, Case{1, 0, 32}}) {
    Bytes y(c.n);
    for (unsigned i = 0; i < c.n; ++i) y[i] = static_cast<uint8_t>(i * 7 + c.w);
    Bytes first = prefix;
    first.push_back(static_cast<uint8_t>(c.a));
    first.insert(first.end(), y.begin(), y.end());
    const Words block = sha_pad(first, 64);
    ASSERT_EQ(block.size(), 16u);
    wr_words(sha, k256Block, block);
    wr(sha, k256Ctrl, 1 | 4 | 1 << 4 | c.w << 5 | (c.n == 32 ? 1u << 9 : 0));
    EXPECT_EQ(rd(sha, k256Status) & 1, 0u);
    ASSERT_TRUE(b.run_until([&] { return rd(sha, k256Status) & 2; }));
    EXPECT_EQ(rd(sha, k256Status), 3u) << "WNTZ_BUSY clear at the end";
    const Bytes expect = chain(prefix, c.a, (1u << c.w) - 2, y);
    const Words d = rd_words(sha, k256Digest, 8);
    EXPECT_EQ(head_hex(d, c.n / 4), calemu::crypto::to_hex(expect)) << "w=" << c.w << " a=" << c.a << " n=" << c.n;
    for (unsigned i = c.n / 4; i < 8; ++i) EXPECT_EQ(d[i], 0u);
  }
}

TEST(Sha256Engine, WinternitzInvalidJRaisesError0) {
  Bench b;
  Sha256 sha(b.ctx);
  Words block(16, 0);
  block[5] = 15u << 8;  // j = 15 > 2^4 - 2
  wr_words(sha, k256Block, block);
  wr(sha, k256Ctrl, 1 | 4 | 1 << 4 | 4 << 5);
  EXPECT_EQ(rd(sha, 0x814) & 1, 1u);
  ASSERT_TRUE(b.run_until([&] { return rd(sha, k256Status) & 2; }));  // hashed as a plain block
}
