// The Adams Bridge engine (2.0 "MLDSA", 2.1 "ABR") driven only through its registers, as
// Caliptra firmware drives it (caliptra-sw drivers/src/mldsa87.rs, ml_kem.rs): NIST ACVP
// ML-DSA-87 and ML-KEM-1024 vectors, the external-interface vectors of tests/crypto/data, the
// known answers of caliptra-sw's ML-DSA KAT (kat/src/mldsa87_kat.rs, whose digests the
// official 2.x ROMs check at boot), the caliptra-rtl smoke-test vectors when CALEMU_RTL20_DIR /
// CALEMU_RTL21_DIR point at caliptra-rtl checkouts, and the RTL's rules for status, locks,
// key-vault routes, PCR signing, streaming, errors and zeroize.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "caliptra/abr.h"
#include "caliptra/keyvault.h"
#include "crypto/mlkem1024.h"
#include "crypto/sha.h"
#include "ip_test_util.h"

using namespace calemu;
using namespace calemu::caliptra;
using crypto::Bytes;
using crypto::ByteView;

namespace {

// Offsets (abr_reg.rdl / mldsa_reg.rdl).
constexpr uint32_t kCtrl = 0x010, kStatus = 0x014, kEntropy = 0x018, kSeed = 0x058, kSignRnd = 0x078, kMsg = 0x098,
                   kVerifyRes = 0x0D8, kExternalMu = 0x118, kMsgStrobe = 0x158, kCtxConfig = 0x15C, kCtx = 0x160,
                   kPubkey = 0x1000, kSignature = 0x2000, kPrivkeyOut = 0x4000, kPrivkeyIn = 0x6000,
                   kKvSeedCtrl = 0x8000, kKvSeedStatus = 0x8004, kIntr = 0x8100;
constexpr uint32_t kKemCtrl = 0x9010, kKemStatus = 0x9014, kSeedD = 0x9018, kSeedZ = 0x9038, kSharedKey = 0x9058,
                   kKemMsg = 0x9080, kDecapsKey = 0xA000, kEncapsKey = 0xB000, kCiphertext = 0xB800,
                   kKvKemSeedCtrl = 0xC000, kKvKemSeedStatus = 0xC004, kKvKemMsgCtrl = 0xC008,
                   kKvKemMsgStatus = 0xC00C, kKvSharedKeyCtrl = 0xC010, kKvSharedKeyStatus = 0xC014;
// interrupt_regs.rdl offsets inside intr_block_rf.
constexpr uint32_t kGlobalIntrEn = 0x00, kErrorIntrEn = 0x04, kNotifIntrEn = 0x08, kErrorInternal = 0x14,
                   kNotifInternal = 0x18;
// CTRL fields and commands.
constexpr uint32_t kKeygen = 1, kSign = 2, kVerify = 3, kKeygenSign = 4, kZeroize = 1u << 3, kPcrSign = 1u << 4,
                   kExternalMuBit = 1u << 5, kStreamMsg = 1u << 6;
constexpr uint32_t kEncaps = 2, kDecaps = 3, kKeygenDecaps = 4;
constexpr uint32_t kReady = 1, kValid = 2, kStreamReady = 4;

nlohmann::json load_json(const std::string& name) {
  std::ifstream in(std::string(CALEMU_SOURCE_DIR) + "/tests/crypto/data/" + name);
  return nlohmann::json::parse(in);
}
Bytes hex(const nlohmann::json& v) { return crypto::from_hex(v.get<std::string>()); }
std::string lower_hex(const nlohmann::json& v) { return crypto::to_hex(hex(v)); }

using test::le_bytes;
using test::le_words;
// A SHA-512 digest as caliptra-sw's Array4x16 holds it: big-endian words.
test::Words sha512_words(ByteView data) { return test::be_words(crypto::sha512(data)); }

class AbrBench : public test::Bench {
 public:
  explicit AbrBench(HwGen hw) : test::Bench(hw), abr(ctx) {
    abr.set_pcr_hash_source([this] { return pcr_hash; });
  }

  uint32_t rd(uint32_t off) { return test::rd(abr, off); }
  void wr(uint32_t off, uint32_t v) { test::wr(abr, off, v); }
  void write_bytes(uint32_t off, ByteView b) { test::wr_words(abr, off, le_words(b)); }
  Bytes read_bytes(uint32_t off, size_t n) { return le_bytes(test::rd_words(abr, off, static_cast<unsigned>((n + 3) / 4)), n); }
  test::Words read_words(uint32_t off, unsigned n) { return test::rd_words(abr, off, n); }

  bool wait(uint32_t status_off, uint32_t bits) {
    return run_until([&] { return (rd(status_off) & bits) == bits; }, 20'000'000);
  }

  // The firmware's zeroize: write ZEROIZE and wait for READY.
  void zeroize(uint32_t ctrl = kCtrl) {
    wr(ctrl, kZeroize);
    ASSERT_TRUE(wait(ctrl == kCtrl ? kStatus : kKemStatus, kReady));
  }
  // caliptra-sw program_var_msg: strobe 0xF, whole words, then the remainder with its strobe.
  void stream(ByteView msg) {
    ASSERT_TRUE(run_until([&] { return (rd(kStatus) & (kStreamReady | kValid)) != 0; }));
    ASSERT_TRUE(rd(kStatus) & kStreamReady);
    wr(kMsgStrobe, 0xF);
    const size_t whole = msg.size() / 4 * 4;
    for (size_t i = 0; i < whole; i += 4) write_bytes(kMsg, msg.subspan(i, 4));
    const size_t rest = msg.size() - whole;
    wr(kMsgStrobe, (1u << rest) - 1);
    Bytes last(4, 0);
    std::copy(msg.begin() + static_cast<long>(whole), msg.end(), last.begin());
    write_bytes(kMsg, last);
  }

  std::array<uint32_t, 16> pcr_hash{};
  Abr abr;
};

const HwGen kGens[] = {HwGen::V2_0, HwGen::V2_1};

}  // namespace

// ---- Identity and reset state ----

TEST(Abr, NameVersionAndResetStatus) {
  {
    AbrBench b(HwGen::V2_0);
    // mldsa_params_pkg.sv MLDSA_CORE_NAME 64'h3837412D_44534D4C, MLDSA_CORE_VERSION 64'h00000033_2e302e31.
    EXPECT_EQ(b.read_words(0x000, 4), (test::Words{0x44534D4C, 0x3837412D, 0x2e302e31, 0x00000033}));
    EXPECT_EQ(b.rd(kStatus), kReady);
    EXPECT_EQ(b.rd(kKvSeedStatus) & 3, 1u);  // kv READY
    EXPECT_EQ(b.rd(0x9000), 0u);             // no ML-KEM half in 2.0
  }
  {
    AbrBench b(HwGen::V2_1);
    // abr_params_pkg.sv: MLDSA/MLKEM_CORE_VERSION 64'h00003300_302e322e, MLKEM_CORE_NAME 64'h32343130_4D2D4B45.
    EXPECT_EQ(b.read_words(0x000, 4), (test::Words{0x44534D4C, 0x3837412D, 0x302e322e, 0x00003300}));
    EXPECT_EQ(b.read_words(0x9000, 4), (test::Words{0x4D2D4B45, 0x32343130, 0x302e322e, 0x00003300}));
    EXPECT_EQ(b.rd(kStatus), kReady);
    EXPECT_EQ(b.rd(kKemStatus), kReady);
  }
}

// ---- ML-DSA-87 ----

// ACVP keyGen: the seed xi goes into SEED as little-endian words, the public and private keys
// come out of PUBKEY / PRIVKEY_OUT the same way.
TEST(Abr, MldsaAcvpKeyGen) {
  const auto doc = load_json("mldsa87_acvp.json");
  for (HwGen hw : kGens) {
    AbrBench b(hw);
    b.wr(kIntr + kGlobalIntrEn, 3);
    b.wr(kIntr + kNotifIntrEn, 1);
    for (const auto& tc : doc["keyGen"]) {
      b.write_bytes(kSeed, hex(tc["seed"]));
      const uint64_t t0 = b.tl.now();
      b.wr(kCtrl, kKeygen);
      EXPECT_EQ(b.rd(kStatus) & (kReady | kValid), 0u);
      ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
      EXPECT_EQ(b.tl.now() - t0, Abr::kCyclesMldsaKeygen);
      EXPECT_TRUE(b.irq[kIrqAbrNotif]);
      EXPECT_EQ(crypto::to_hex(b.read_bytes(kPubkey, 2592)), lower_hex(tc["pk"])) << "tcId " << tc["tcId"];
      EXPECT_EQ(crypto::to_hex(b.read_bytes(kPrivkeyOut, 4896)), lower_hex(tc["sk"])) << "tcId " << tc["tcId"];
      b.wr(kIntr + kNotifInternal, 1);
      EXPECT_FALSE(b.irq[kIrqAbrNotif]);
      b.zeroize();
      EXPECT_EQ(b.rd(kStatus), kReady);
      EXPECT_EQ(b.read_words(kPubkey, 8), test::Words(8, 0));  // VALID low: outputs read 0
    }
  }
}

// caliptra-sw kat/src/mldsa87_kat.rs (the CAST the 2.x ROMs run at boot): SHA-512 digests of
// the key pair and of the deterministic signature of KAT_MESSAGE, all as little-endian words.
namespace {
const test::Words kKatSeed = {0x0a004093, 0x27d15f67, 0x121d0737, 0xd5e4ce3f,
                              0x28fe43a2, 0xd4f06807, 0x858a7646, 0x9cf85c2d};
const test::Words kKatMessage = {0x78fb03e7, 0x22ed1fc4, 0xf2a5e244, 0x9600e616, 0x0d298750, 0x179a0dd9,
                                 0xb503d306, 0xbc2ac6d4, 0x735f11ee, 0x23f6c548, 0x358498db, 0x04f50a80,
                                 0xfb169e3c, 0x1c6cd56e, 0xd41baaf3, 0xd418f5c8};
const test::Words kKatPubKeyDigest = {0x156d7184, 0xed6113a4, 0x1944255a, 0x3ffd5aa1, 0x3273e7a7, 0x3d8b5feb,
                                      0xf695df65, 0x351a7476, 0xb74d6d96, 0xe8927960, 0x0d188fda, 0xb7adaa9a,
                                      0x431308ed, 0xf9544ec3, 0x5fe96fa4, 0xd012c3a8};
const test::Words kKatPrivKeyDigest = {0x535af06c, 0x07e85226, 0x21991715, 0xb1db1b31, 0x3bffe2d3, 0x6ac688bf,
                                       0x960fe7df, 0xda987e1a, 0x779b9471, 0x80983ac8, 0x45a293ec, 0x70269c4a,
                                       0xeb947158, 0xbe85be08, 0x40730835, 0x3b4700ef};
const test::Words kKatSignatureDigest = {0x2cc91683, 0xf3f36770, 0x20082e60, 0x06351dbe, 0x459019bb, 0xf99c95f4,
                                         0xf34a6562, 0xf712686d, 0xe85df11e, 0x324c7954, 0x6e4ff08c, 0x5a028589,
                                         0x1c5ee701, 0x8d490941, 0xb805a337, 0x51746789};

// Serialises 32-bit register words the way the firmware's zerocopy as_bytes() does.
Bytes raw_bytes(const test::Words& w) { return le_bytes(w, 4 * w.size()); }
}  // namespace

TEST(Abr, MldsaCaliptraSwKat) {
  for (HwGen hw : kGens) {
    for (bool streamed : {false, true}) {  // caliptra-2.0 signs MSG; main streams the same bytes
      AbrBench b(hw);
      test::wr_words(b.abr, kSeed, kKatSeed);
      b.wr(kCtrl, kKeygen);
      ASSERT_TRUE(b.wait(kStatus, kValid));
      const test::Words pk = b.read_words(kPubkey, 648), sk = b.read_words(kPrivkeyOut, 1224);
      EXPECT_EQ(sha512_words(raw_bytes(pk)), kKatPubKeyDigest);
      EXPECT_EQ(sha512_words(raw_bytes(sk)), kKatPrivKeyDigest);
      b.zeroize();

      // Sign with the seed (KEYGEN+SIGN), SIGN_RND = 0.
      test::wr_words(b.abr, kSeed, kKatSeed);
      test::wr_words(b.abr, kSignRnd, test::Words(8, 0));
      if (streamed) {
        b.wr(kCtrl, kKeygenSign | kStreamMsg);
        b.stream(raw_bytes(kKatMessage));
      } else {
        test::wr_words(b.abr, kMsg, kKatMessage);
        b.wr(kCtrl, kKeygenSign);
      }
      ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
      const test::Words sig = b.read_words(kSignature, 1157);
      EXPECT_EQ(sha512_words(raw_bytes(sig)), kKatSignatureDigest) << "streamed " << streamed;
      EXPECT_EQ(sig[1156] >> 24, 0u);  // the unused top byte of the last word reads 0
      b.zeroize();

      // Verify (the KAT streams the message).
      test::wr_words(b.abr, kPubkey, pk);
      test::wr_words(b.abr, kSignature, sig);
      b.wr(kCtrl, kVerify | kStreamMsg);
      b.stream(raw_bytes(kKatMessage));
      ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
      EXPECT_EQ(b.read_words(kVerifyRes, 16), test::Words(sig.begin(), sig.begin() + 16));
      b.zeroize();
    }
  }
}

// ACVP sigGen / sigVer exercise Sign_internal / Verify_internal on M' directly; the engine
// takes mu = SHAKE256(tr || M', 64) through EXTERNAL_MU (2.1).
TEST(Abr, MldsaAcvpSigGenSigVerExternalMu) {
  const auto doc = load_json("mldsa87_acvp.json");
  AbrBench b(HwGen::V2_1);
  for (const auto& tc : doc["sigGen"]) {
    const Bytes sk = hex(tc["sk"]);
    Bytes tr_msg(sk.begin() + 64, sk.begin() + 128);
    const Bytes m = hex(tc["message"]);
    tr_msg.insert(tr_msg.end(), m.begin(), m.end());
    b.write_bytes(kPrivkeyIn, sk);
    b.write_bytes(kExternalMu, crypto::shake256(tr_msg, 64));
    b.write_bytes(kSignRnd, tc.contains("rnd") ? hex(tc["rnd"]) : Bytes(32, 0));
    b.write_bytes(kEntropy, Bytes(64, 0x5a));  // SCA masking only
    b.wr(kCtrl, kSign | kExternalMuBit);
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    EXPECT_EQ(crypto::to_hex(b.read_bytes(kSignature, 4627)), lower_hex(tc["signature"])) << "tcId " << tc["tcId"];
    EXPECT_EQ(b.read_words(kPrivkeyOut, 4), test::Words(4, 0));  // SIGN never unlocks PRIVKEY_OUT
    b.zeroize();
  }
  int rejected = 0;
  for (const auto& tc : doc["sigVer"]) {
    const Bytes pk = hex(tc["pk"]), sig = hex(tc["signature"]), m = hex(tc["message"]);
    Bytes tr_msg = crypto::shake256(pk, 64);
    tr_msg.insert(tr_msg.end(), m.begin(), m.end());
    b.write_bytes(kPubkey, pk);
    b.write_bytes(kSignature, sig);
    b.write_bytes(kExternalMu, crypto::shake256(tr_msg, 64));
    b.wr(kCtrl, kVerify | kExternalMuBit);
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    const Bytes res = b.read_bytes(kVerifyRes, 64);
    EXPECT_EQ(res == Bytes(sig.begin(), sig.begin() + 64), tc["testPassed"].get<bool>())
        << "tcId " << tc["tcId"] << " " << tc["reason"];
    if (!tc["testPassed"].get<bool>()) ++rejected;
    b.zeroize();
  }
  EXPECT_EQ(rejected, 4);  // modified message, too many hints, z too large, modified signature
}

// FIPS 204 external interface (tests/crypto/data/mldsa87_noble.json): messages of 0 to 1000
// bytes and contexts of 0 to 255 bytes through the streamed-message mode and CTX, on both
// generations; verification of the same signatures, and of a damaged message.
TEST(Abr, MldsaStreamedMessagesWithContext) {
  const auto doc = load_json("mldsa87_noble.json");
  for (HwGen hw : kGens) {
    AbrBench b(hw);
    for (const auto& tc : doc["sign"]) {
      const auto& key = doc["keys"][tc["key"].get<unsigned>()];
      const Bytes msg = hex(tc["message"]), ctx = hex(tc["context"]), sig = hex(tc["signature"]);
      for (bool from_seed : {false, true}) {
        if (from_seed)
          b.write_bytes(kSeed, hex(key["seed"]));
        else
          b.write_bytes(kPrivkeyIn, hex(key["sk"]));
        b.write_bytes(kSignRnd, hex(tc["rnd"]));
        b.wr(kCtxConfig, static_cast<uint32_t>(ctx.size()));
        b.write_bytes(kCtx, ctx);
        b.wr(kCtrl, (from_seed ? kKeygenSign : kSign) | kStreamMsg);
        EXPECT_EQ(b.rd(kStatus) & kReady, 0u);
        b.stream(msg);
        ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
        EXPECT_EQ(crypto::to_hex(b.read_bytes(kSignature, 4627)), crypto::to_hex(sig))
            << "msg " << msg.size() << " ctx " << ctx.size() << " from_seed " << from_seed;
        if (from_seed) {
          EXPECT_EQ(crypto::to_hex(b.read_bytes(kPubkey, 2592)), lower_hex(key["pk"]));
        }
        b.zeroize();
      }
      for (bool damaged : {false, true}) {
        Bytes m = msg;
        if (damaged) m.push_back(0x01);
        b.write_bytes(kPubkey, hex(key["pk"]));
        b.write_bytes(kSignature, sig);
        b.wr(kCtxConfig, static_cast<uint32_t>(ctx.size()));
        b.write_bytes(kCtx, ctx);
        b.wr(kCtrl, kVerify | kStreamMsg);
        b.stream(m);
        ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
        EXPECT_EQ(b.read_bytes(kVerifyRes, 64) == Bytes(sig.begin(), sig.begin() + 64), !damaged);
        b.zeroize();
      }
    }
  }
}

// 2.1 signs a given mu (external mu); 2.0's mldsa_ctrl.sv ties external_mu to 0, so it
// ignores the bit and signs the 64-byte MSG with an empty context instead.
TEST(Abr, MldsaExternalMuOnlyIn21) {
  const auto doc = load_json("mldsa87_noble.json");
  const auto& tc = doc["sign_mu"][0];
  const auto& key = doc["keys"][tc["key"].get<unsigned>()];
  for (HwGen hw : kGens) {
    AbrBench b(hw);
    b.write_bytes(kPrivkeyIn, hex(key["sk"]));
    b.write_bytes(kExternalMu, hex(tc["mu"]));
    b.write_bytes(kSignRnd, hex(tc["rnd"]));
    b.write_bytes(kMsg, Bytes(64, 0));
    b.wr(kCtrl, kSign | kExternalMuBit);
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    const Bytes sig = b.read_bytes(kSignature, 4627);
    if (hw == HwGen::V2_1) {
      EXPECT_EQ(crypto::to_hex(sig), lower_hex(tc["signature"]));
    } else {
      // mu = SHAKE256(tr || 0 || 0 || MSG): check the signature against it with the ML-DSA code
      // proven on the ACVP vectors.
      const Bytes sk = hex(key["sk"]);
      Bytes in(sk.begin() + 64, sk.begin() + 128);
      in.insert(in.end(), {0, 0});
      in.insert(in.end(), 64, 0);
      EXPECT_TRUE(crypto::mldsa87::verify_mu(hex(key["pk"]), crypto::shake256(in, 64), sig));
    }
  }
}

// ---- caliptra-rtl smoke tests (the register words its firmware writes and expects) ----

namespace {

// A caliptra-rtl 2.x checkout, or skip.
std::string rtl_dir(HwGen hw) {
  const char* dir = std::getenv(hw == HwGen::V2_0 ? "CALEMU_RTL20_DIR" : "CALEMU_RTL21_DIR");
  return dir && *dir ? dir : "";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `uint32_t name[...] = { 0x..., ... };` (or `.data = {...}` inside `name = {`) from a test's C source.
test::Words c_array(const std::string& text, const std::string& name) {
  const size_t at = text.find(name);
  if (at == std::string::npos) return {};
  const size_t open = text.find('{', at), close = text.find('}', open);
  const size_t inner = text.find('{', open + 1);
  const size_t from = inner < close ? inner : open;
  test::Words w;
  std::stringstream ss(text.substr(from + 1, text.find('}', from) - from - 1));
  for (std::string tok; std::getline(ss, tok, ',');) {
    const size_t x = tok.find("0x");
    if (x != std::string::npos) w.push_back(static_cast<uint32_t>(std::stoul(tok.substr(x), nullptr, 16)));
  }
  return w;
}

}  // namespace

// smoke_test_mldsa.c: keygen, keygen+sign, sign and verify with the register words of its
// vectors (the RTL's own expected outputs).
TEST(Abr, MldsaRtlSmokeTest) {
  for (HwGen hw : kGens) {
    const std::string dir = rtl_dir(hw);
    if (dir.empty()) GTEST_SKIP() << "set CALEMU_RTL20_DIR / CALEMU_RTL21_DIR to caliptra-rtl 2.0.x / 2.1.x checkouts";
    const std::string c = slurp(dir + "/src/integration/test_suites/smoke_test_mldsa/smoke_test_mldsa.c");
    ASSERT_FALSE(c.empty());
    // 2.1 keeps the arrays in register order; 2.0 stores them reversed and its main() reverses
    // each one (seed.data[i] = mldsa_seed[MLDSA87_SEED_SIZE-1-i]).
    const bool reversed = c.find("mldsa_seed[MLDSA87_SEED_SIZE-1-i]") != std::string::npos;
    const auto arr = [&](const std::string& name) {
      test::Words w = c_array(c, name);
      if (reversed) std::reverse(w.begin(), w.end());
      return w;
    };
    const test::Words seed = reversed ? arr("mldsa_seed[]") : c_array(c, "mldsa_seed ="),
                      msg = arr("mldsa_msg[]"), sk = arr("mldsa_privkey[]"), pk = arr("mldsa_pubkey[]"),
                      rnd = arr("mldsa_sign_rnd[]"), sig = arr("mldsa_sign[]"), res = arr("mldsa_verify_res [");
    ASSERT_EQ(seed.size(), 8u);
    ASSERT_EQ(sk.size(), 1224u);
    ASSERT_EQ(pk.size(), 648u);
    ASSERT_EQ(sig.size(), 1157u);
    AbrBench b(hw);
    test::wr_words(b.abr, kSeed, seed);
    b.wr(kCtrl, kKeygen);
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    EXPECT_EQ(b.read_words(kPrivkeyOut, 1224), sk);
    EXPECT_EQ(b.read_words(kPubkey, 648), pk);
    b.zeroize();
    test::wr_words(b.abr, kSeed, seed);
    test::wr_words(b.abr, kMsg, msg);
    test::wr_words(b.abr, kSignRnd, rnd);
    b.wr(kCtrl, kKeygenSign);
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    EXPECT_EQ(b.read_words(kSignature, 1157), sig);
    b.zeroize();
    test::wr_words(b.abr, kPrivkeyIn, sk);
    test::wr_words(b.abr, kMsg, msg);
    test::wr_words(b.abr, kSignRnd, rnd);
    b.wr(kCtrl, kSign);
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    EXPECT_EQ(b.read_words(kSignature, 1157), sig);
    b.zeroize();
    test::wr_words(b.abr, kPubkey, pk);
    test::wr_words(b.abr, kSignature, sig);
    test::wr_words(b.abr, kMsg, msg);
    b.wr(kCtrl, kVerify);
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    EXPECT_EQ(b.read_words(kVerifyRes, 16), res);
  }
}

// smoke_test_mlkem.c (2.1): keygen from seed_d / seed_z, encapsulation with msg, decapsulation.
TEST(Abr, MlkemRtlSmokeTest) {
  const std::string dir = rtl_dir(HwGen::V2_1);
  if (dir.empty()) GTEST_SKIP() << "set CALEMU_RTL21_DIR to a caliptra-rtl 2.1.x checkout";
  const std::string c = slurp(dir + "/src/integration/test_suites/smoke_test_mlkem/smoke_test_mlkem.c");
  ASSERT_FALSE(c.empty());
  const test::Words seed_d = c_array(c, "seed_d["), seed_z = c_array(c, "seed_z["), msg = c_array(c, "msg_array["),
                    key = c_array(c, "shared_key_array["), exp_ek = c_array(c, "exp_encaps_key["),
                    exp_dk = c_array(c, "exp_decaps_key["), ek = c_array(c, "uint32_t ek["),
                    dk = c_array(c, "uint32_t dk["), ct = c_array(c, "uint32_t ciphertext[");
  ASSERT_EQ(exp_dk.size(), 792u);
  ASSERT_EQ(ct.size(), 392u);
  AbrBench b(HwGen::V2_1);
  test::wr_words(b.abr, kSeedD, seed_d);
  test::wr_words(b.abr, kSeedZ, seed_z);
  b.wr(kKemCtrl, kKeygen);
  ASSERT_TRUE(b.wait(kKemStatus, kReady | kValid));
  EXPECT_EQ(b.read_words(kEncapsKey, 392), exp_ek);
  EXPECT_EQ(b.read_words(kDecapsKey, 792), exp_dk);
  b.zeroize(kKemCtrl);
  test::wr_words(b.abr, kEncapsKey, ek);
  test::wr_words(b.abr, kKemMsg, msg);
  b.wr(kKemCtrl, kEncaps);
  ASSERT_TRUE(b.wait(kKemStatus, kReady | kValid));
  EXPECT_EQ(b.read_words(kCiphertext, 392), ct);
  EXPECT_EQ(b.read_words(kSharedKey, 8), key);
  b.zeroize(kKemCtrl);
  test::wr_words(b.abr, kDecapsKey, dk);
  test::wr_words(b.abr, kCiphertext, ct);
  b.wr(kKemCtrl, kDecaps);
  ASSERT_TRUE(b.wait(kKemStatus, kReady | kValid));
  EXPECT_EQ(b.read_words(kSharedKey, 8), key);
}

// ---- Private key rules, key vault, PCR signing ----

// PRIVKEY_OUT reads zeros except after a stand-alone KEYGEN from a software seed; any command
// re-locks it (mldsa_privkey_lock). PRIVKEY_IN reads zeros.
TEST(Abr, MldsaPrivateKeyOutRules) {
  const auto doc = load_json("mldsa87_acvp.json");
  const auto& tc = doc["keyGen"][0];
  for (HwGen hw : kGens) {
    AbrBench b(hw);
    b.write_bytes(kSeed, hex(tc["seed"]));
    b.wr(kCtrl, kKeygenSign);
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    EXPECT_EQ(b.read_words(kPrivkeyOut, 8), test::Words(8, 0));
    EXPECT_EQ(crypto::to_hex(b.read_bytes(kPubkey, 2592)), lower_hex(tc["pk"]));  // keygen+sign shows pk
    b.zeroize();
    b.write_bytes(kSeed, hex(tc["seed"]));
    b.wr(kCtrl, kKeygen);
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    EXPECT_EQ(crypto::to_hex(b.read_bytes(kPrivkeyOut, 4896)), lower_hex(tc["sk"]));
    EXPECT_EQ(b.read_words(kPrivkeyIn, 4), test::Words(4, 0));
    b.wr(kCtrl, 7);  // no command, but a non-zero CTRL re-locks
    EXPECT_EQ(b.read_words(kPrivkeyOut, 8), test::Words(8, 0));
    EXPECT_EQ(b.rd(kStatus), kReady | kValid);  // VALID stays until a zeroize
  }
}

// Inputs have swwe = READY: writes during a command are dropped; the seed also stays closed
// while it holds vault data.
TEST(Abr, MldsaInputsLockedWhileBusy) {
  const auto doc = load_json("mldsa87_acvp.json");
  const auto& tc = doc["keyGen"][1];
  for (HwGen hw : kGens) {
    AbrBench b(hw);
    b.write_bytes(kSeed, hex(tc["seed"]));
    b.wr(kCtrl, kKeygen);
    b.run(100);
    b.write_bytes(kSeed, Bytes(32, 0xEE));  // dropped
    b.wr(kCtrl, kSign);                     // dropped
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    EXPECT_EQ(crypto::to_hex(b.read_bytes(kPubkey, 2592)), lower_hex(tc["pk"]));
    EXPECT_EQ(b.rd(kStatus), kReady | kValid);
  }
}

namespace {
// Vault contents as an HMAC would leave them: big-endian words of a digest.
test::Words vault_words(const std::string& label, unsigned n) {
  test::Words w = test::be_words(crypto::sha512(test::ascii(label)));
  w.resize(n);
  return w;
}
// Vault dword i lands in register word n-1-i; the engine reads registers little-endian.
Bytes reversed_words_le(const test::Words& kv) {
  test::Words r(kv.rbegin(), kv.rend());
  return le_bytes(r, 4 * r.size());
}
}  // namespace

// The seed from the vault: SEED[7-i] = entry dword i; the copy is locked in, a keygen from it
// keeps PRIVKEY_OUT locked; 2.0 clears the vault seed as VALID rises.
TEST(Abr, MldsaSeedFromKeyVault) {
  for (HwGen hw : kGens) {
    AbrBench b(hw);
    const test::Words entry = vault_words("abr seed", 8);
    ASSERT_TRUE(b.kv.write(3, entry, kv_dest(KvClient::MldsaSeed)));
    b.wr(kKvSeedCtrl, 1 | 3 << 1);
    EXPECT_EQ(b.rd(kKvSeedStatus) & 3, 0u);  // copying
    ASSERT_TRUE(b.wait(kKvSeedStatus, 3));
    EXPECT_EQ(b.rd(kKvSeedStatus) >> 2, 0u);
    b.write_bytes(kSeed, Bytes(32, 0xEE));  // dropped: the seed holds vault data
    b.wr(kCtrl, kKeygen);
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    const auto kp = crypto::mldsa87::keygen(reversed_words_le(entry));
    EXPECT_EQ(b.read_bytes(kPubkey, 2592), kp.pk);
    EXPECT_EQ(b.read_words(kPrivkeyOut, 8), test::Words(8, 0));
    b.zeroize();
    // A slot without the ML-DSA seed destination bit: KV_READ_FAIL, the seed reads as cleared.
    ASSERT_TRUE(b.kv.write(4, entry, kv_dest(KvClient::EccSeed)));
    b.wr(kKvSeedCtrl, 1 | 4 << 1);
    b.run(50);
    EXPECT_EQ(b.rd(kKvSeedStatus) >> 2, 1u);
    // 2.1 holds READY low after a failed read until a zeroize (kv_read_client kv_ready).
    EXPECT_EQ(b.rd(kStatus) & kReady, hw == HwGen::V2_1 ? 0u : kReady);
    b.zeroize();
    EXPECT_EQ(b.rd(kKvSeedStatus) & 1, 1u);
    EXPECT_EQ(b.rd(kKvSeedStatus) >> 2, 0u);
  }
}

// PCR signing: KEYGEN+SIGN with PCR_SIGN takes the seed from vault slot 8 (SEED[i] = dword
// 7-i) and MSG from the SHA-512 GEN_PCR_HASH digest (MSG[i] = digest word 15-i): the key pair of
// the byte-reversed seed signs the byte-reversed digest. Other commands with PCR_SIGN are errors.
TEST(Abr, MldsaPcrSigning) {
  for (HwGen hw : kGens) {
    AbrBench b(hw);
    b.wr(kIntr + kGlobalIntrEn, 3);
    b.wr(kIntr + kErrorIntrEn, 1);
    const test::Words seed = vault_words("pcr seed", 8), digest = test::be_words(crypto::sha512(test::ascii("pcrs")));
    ASSERT_TRUE(b.kv.write(8, seed, 0));  // wired regardless of destination bits
    std::copy(digest.begin(), digest.end(), b.pcr_hash.begin());
    b.wr(kCtrl, kKeygenSign | kPcrSign);
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    const auto kp = crypto::mldsa87::keygen(reversed_words_le(seed));
    const Bytes msg = reversed_words_le(digest);
    const Bytes sig = b.read_bytes(kSignature, 4627);
    EXPECT_TRUE(crypto::mldsa87::verify(kp.pk, msg, {}, sig));
    EXPECT_EQ(sig, crypto::mldsa87::sign(kp.sk, msg, {}, Bytes(32, 0)));
    b.zeroize();

    b.wr(kCtrl, kKeygen | kPcrSign);
    b.run(10);
    EXPECT_TRUE(b.irq[kIrqAbrError]);
    EXPECT_EQ(b.rd(kIntr + kErrorInternal), 1u);
    // 2.1 reports ERROR and stays busy until a zeroize; 2.0 returns to READY.
    EXPECT_EQ(b.rd(kStatus), hw == HwGen::V2_1 ? 8u : kReady);
    b.wr(kIntr + kErrorInternal, 1);
    b.zeroize();
    EXPECT_EQ(b.rd(kStatus), kReady);
  }
}

// skdecode_error: a private key whose s1/s2 fields encode values outside [-2, 2].
TEST(Abr, MldsaBadPrivateKeyIsAnError) {
  const auto doc = load_json("mldsa87_acvp.json");
  for (HwGen hw : kGens) {
    AbrBench b(hw);
    Bytes sk = hex(doc["keyGen"][0]["sk"]);
    sk[128] |= 0x07;  // s1[0] field = 7
    b.write_bytes(kPrivkeyIn, sk);
    b.wr(kCtrl, kSign);
    ASSERT_TRUE(b.run_until([&] { return b.irq[kIrqAbrError] || (b.rd(kIntr + kErrorInternal) & 1); }));
    EXPECT_EQ(b.rd(kIntr + kErrorInternal), 1u);
    EXPECT_EQ(b.rd(kStatus) & kValid, 0u);
    EXPECT_EQ(b.rd(kStatus), hw == HwGen::V2_1 ? 8u : kReady);
  }
}

// Verification failures: ||z|| too large ends the command before the message is needed and
// clears VERIFY_RES; a bad hint encoding clears it after the message.
TEST(Abr, MldsaVerifyRejectionsClearResult) {
  const auto doc = load_json("mldsa87_noble.json");
  const auto& tc = doc["sign"][0];
  const auto& key = doc["keys"][tc["key"].get<unsigned>()];
  for (HwGen hw : kGens) {
    AbrBench b(hw);
    Bytes big_z = hex(tc["signature"]);
    big_z[64] = 0xFF, big_z[65] = 0xFF, big_z[66] = 0x0F;  // z[0] = gamma1 - 0xFFFFF: out of bound
    b.write_bytes(kPubkey, hex(key["pk"]));
    b.write_bytes(kSignature, big_z);
    b.wr(kCtrl, kVerify | kStreamMsg);
    ASSERT_TRUE(b.run_until([&] { return (b.rd(kStatus) & (kValid | kStreamReady)) != 0; }));
    EXPECT_EQ(b.rd(kStatus), kReady | kValid);  // done without asking for the message
    EXPECT_EQ(b.read_words(kVerifyRes, 16), test::Words(16, 0));
    b.zeroize();
    Bytes bad_h = hex(tc["signature"]);
    bad_h[4627 - 1] = 76;  // last hint count > omega
    b.write_bytes(kPubkey, hex(key["pk"]));
    b.write_bytes(kSignature, bad_h);
    b.wr(kCtrl, kVerify | kStreamMsg);
    b.stream(hex(tc["message"]));
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    EXPECT_EQ(b.read_words(kVerifyRes, 16), test::Words(16, 0));
  }
}

// Streaming: MSG_STREAM_READY rises when the message is due, MSG_STROBE only takes writes then,
// a zeroize leaves the strobe at 0 (so the first word would end the message) and the
// timing follows the signing loop.
TEST(Abr, MldsaStreamHandshake) {
  const auto doc = load_json("mldsa87_noble.json");
  const auto& tc = doc["sign"][1];
  const auto& key = doc["keys"][tc["key"].get<unsigned>()];
  for (HwGen hw : kGens) {
    AbrBench b(hw);
    b.write_bytes(kPrivkeyIn, hex(key["sk"]));
    b.write_bytes(kSignRnd, hex(tc["rnd"]));
    b.wr(kCtxConfig, static_cast<uint32_t>(hex(tc["context"]).size()));
    b.write_bytes(kCtx, hex(tc["context"]));
    const uint64_t t0 = b.tl.now();
    b.wr(kCtrl, kSign | kStreamMsg);
    ASSERT_TRUE(b.wait(kStatus, kStreamReady));
    EXPECT_EQ(b.tl.now() - t0, Abr::kCyclesSignBeforeMessage);
    EXPECT_EQ(b.rd(kStatus) & kReady, 0u);
    b.stream(hex(tc["message"]));
    EXPECT_EQ(b.rd(kStatus) & kStreamReady, 0u);
    const uint64_t t1 = b.tl.now();
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    EXPECT_EQ((b.tl.now() - t1) % Abr::kCyclesMldsaSignRound, 0u);
    EXPECT_EQ(crypto::to_hex(b.read_bytes(kSignature, 4627)), lower_hex(tc["signature"]));
    b.zeroize();
    // After the zeroize the strobe is 0: without rewriting it the first word ends the message.
    b.write_bytes(kPrivkeyIn, hex(key["sk"]));
    b.wr(kCtrl, kSign | kStreamMsg);
    ASSERT_TRUE(b.wait(kStatus, kStreamReady));
    b.wr(kMsg, 0x12345678);
    EXPECT_EQ(b.rd(kStatus) & kStreamReady, 0u);
    ASSERT_TRUE(b.wait(kStatus, kReady | kValid));
    EXPECT_TRUE(crypto::mldsa87::verify(hex(key["pk"]), {}, {}, b.read_bytes(kSignature, 4627)));
  }
}

// Zeroize: READY drops while the memories are scrubbed (one address per cycle), everything
// is cleared; the interrupt status survives.
TEST(Abr, ZeroizeTiming) {
  for (HwGen hw : kGens) {
    AbrBench b(hw);
    b.write_bytes(kSeed, Bytes(32, 1));
    b.wr(kCtrl, kKeygen);
    ASSERT_TRUE(b.wait(kStatus, kValid));
    const uint64_t t0 = b.tl.now();
    b.wr(kCtrl, kZeroize);
    EXPECT_EQ(b.rd(kStatus), 0u);
    ASSERT_TRUE(b.wait(kStatus, kReady));
    EXPECT_EQ(b.tl.now() - t0, hw == HwGen::V2_1 ? Abr::kCyclesZeroize21 : Abr::kCyclesZeroize20);
    EXPECT_EQ(b.rd(kIntr + kNotifInternal), 1u);
    b.write_bytes(kSeed, Bytes(32, 1));
    b.wr(kCtrl, kKeygen);  // the seed written after the zeroize is used
    ASSERT_TRUE(b.wait(kStatus, kValid));
    EXPECT_EQ(b.read_bytes(kPubkey, 2592), crypto::mldsa87::keygen(Bytes(32, 1)).pk);
  }
}

// ---- ML-KEM-1024 (2.1) ----

// ACVP keyGen (d, z -> ek, dk) and encapDecap (ek, m -> c, K; dk, c -> K, with implicit
// rejection of modified ciphertexts), plus KEYGEN+DECAPS on the same vectors.
TEST(Abr, MlkemAcvp) {
  const auto doc = load_json("mlkem1024_acvp.json");
  AbrBench b(HwGen::V2_1);
  for (const auto& tc : doc["keyGen"]) {
    b.write_bytes(kSeedD, hex(tc["d"]));
    b.write_bytes(kSeedZ, hex(tc["z"]));
    const uint64_t t0 = b.tl.now();
    b.wr(kKemCtrl, kKeygen);
    EXPECT_EQ(b.rd(kKemStatus) & kReady, 0u);
    EXPECT_EQ(b.rd(kStatus) & kReady, 0u);  // one engine: both halves busy
    ASSERT_TRUE(b.wait(kKemStatus, kReady | kValid));
    EXPECT_EQ(b.tl.now() - t0, Abr::kCyclesMlkemKeygen);
    EXPECT_EQ(b.rd(kStatus) & kValid, 0u);  // ML-DSA VALID is separate
    EXPECT_EQ(crypto::to_hex(b.read_bytes(kEncapsKey, 1568)), lower_hex(tc["ek"])) << "tcId " << tc["tcId"];
    EXPECT_EQ(crypto::to_hex(b.read_bytes(kDecapsKey, 3168)), lower_hex(tc["dk"])) << "tcId " << tc["tcId"];
    b.zeroize(kKemCtrl);
  }
  for (const auto& tc : doc["encapsulation"]) {
    b.write_bytes(kEncapsKey, hex(tc["ek"]));
    b.write_bytes(kKemMsg, hex(tc["m"]));
    EXPECT_EQ(b.read_words(kKemMsg, 8), test::Words(8, 0));  // no read port
    b.wr(kKemCtrl, kEncaps);
    ASSERT_TRUE(b.wait(kKemStatus, kReady | kValid));
    EXPECT_EQ(crypto::to_hex(b.read_bytes(kCiphertext, 1568)), lower_hex(tc["c"])) << "tcId " << tc["tcId"];
    EXPECT_EQ(crypto::to_hex(b.read_bytes(kSharedKey, 32)), lower_hex(tc["k"])) << "tcId " << tc["tcId"];
    EXPECT_EQ(b.read_words(kDecapsKey, 4), test::Words(4, 0));  // locked after anything but keygen
    b.zeroize(kKemCtrl);
  }
  for (const auto& tc : doc["decapsulation"]) {
    b.write_bytes(kDecapsKey, hex(tc["dk"]));
    b.write_bytes(kCiphertext, hex(tc["c"]));
    b.wr(kKemCtrl, kDecaps);
    ASSERT_TRUE(b.wait(kKemStatus, kReady | kValid));
    EXPECT_EQ(crypto::to_hex(b.read_bytes(kSharedKey, 32)), lower_hex(tc["k"])) << "tcId " << tc["tcId"];
    b.zeroize(kKemCtrl);
  }
  const auto noble = load_json("mlkem1024_noble.json");
  for (const auto& tc : noble["cases"]) {
    for (bool modified : {false, true}) {
      b.write_bytes(kSeedD, hex(tc["d"]));
      b.write_bytes(kSeedZ, hex(tc["z"]));
      b.write_bytes(kCiphertext, hex(modified ? tc["c_modified"] : tc["c"]));
      const uint64_t t0 = b.tl.now();
      b.wr(kKemCtrl, kKeygenDecaps);
      ASSERT_TRUE(b.wait(kKemStatus, kReady | kValid));
      EXPECT_EQ(b.tl.now() - t0, Abr::kCyclesMlkemKeygen + Abr::kCyclesMlkemDecaps);
      EXPECT_EQ(crypto::to_hex(b.read_bytes(kSharedKey, 32)), lower_hex((modified ? tc["k_rejected"] : tc["k"])));
      EXPECT_EQ(b.read_words(kDecapsKey, 4), test::Words(4, 0));
      b.zeroize(kKemCtrl);
    }
  }
}

// FIPS 203 input checks end the command with an error: an encapsulation key whose
// coefficients are not reduced, a decapsulation key whose H(ek) does not match.
TEST(Abr, MlkemInputChecksAreErrors) {
  const auto doc = load_json("mlkem1024_acvp.json");
  for (bool encaps : {true, false}) {
    AbrBench b(HwGen::V2_1);
    if (encaps) {
      Bytes ek = hex(doc["encapsulation"][0]["ek"]);
      ek[0] = 0xFF, ek[1] |= 0x0F;  // first coefficient 0xFFF >= q
      b.write_bytes(kEncapsKey, ek);
      b.wr(kKemCtrl, kEncaps);
    } else {
      Bytes dk = hex(doc["decapsulation"][0]["dk"]);
      dk[3168 - 64] ^= 1;  // H(ek)
      b.write_bytes(kDecapsKey, dk);
      b.wr(kKemCtrl, kDecaps);
    }
    ASSERT_TRUE(b.run_until([&] { return (b.rd(kKemStatus) & 4) != 0; }));
    EXPECT_EQ(b.rd(kKemStatus), 4u);  // ERROR, not READY, not VALID
    EXPECT_EQ(b.rd(kStatus), 8u);     // the ML-DSA status shows the same error flag
    EXPECT_EQ(b.rd(kIntr + kErrorInternal), 1u);
    b.wr(kKemCtrl, kKeygen);          // ignored until a zeroize
    b.run(10'000);
    EXPECT_EQ(b.rd(kKemStatus), 4u);
    b.zeroize(kKemCtrl);
    EXPECT_EQ(b.rd(kKemStatus), kReady);
  }
}

// Vault routes: the seed (d = SEED_D[7-i] from dwords 0..7, z from dwords 8..15 reversed), the
// message (MSG[7-i]) and the shared key (vault dword i = SHARED_KEY[7-i]); a key computed from
// vault inputs, or bound for the vault, does not read back.
TEST(Abr, MlkemKeyVaultRoutes) {
  const auto doc = load_json("mlkem1024_acvp.json");
  AbrBench b(HwGen::V2_1);
  const test::Words seed = vault_words("kem seed", 16), msg = vault_words("kem msg", 8);
  ASSERT_TRUE(b.kv.write(2, seed, kv_dest(KvClient::MlkemSeed)));
  ASSERT_TRUE(b.kv.write(5, msg, kv_dest(KvClient::MlkemMsg)));
  const Bytes d = reversed_words_le(test::Words(seed.begin(), seed.begin() + 8));
  const Bytes z = reversed_words_le(test::Words(seed.begin() + 8, seed.end()));
  const auto kp = crypto::mlkem1024::keygen(d, z);

  b.wr(kKvKemSeedCtrl, 1 | 2 << 1);
  EXPECT_EQ(b.rd(kKemStatus) & kReady, 0u);  // READY waits for the copy
  ASSERT_TRUE(b.wait(kKvKemSeedStatus, 3));
  b.write_bytes(kSeedD, Bytes(32, 0xEE));  // dropped
  b.wr(kKemCtrl, kKeygen);
  ASSERT_TRUE(b.wait(kKemStatus, kReady | kValid));
  EXPECT_EQ(b.read_bytes(kEncapsKey, 1568), kp.ek);
  EXPECT_EQ(b.read_words(kDecapsKey, 4), test::Words(4, 0));  // vault seed: dk stays locked
  b.zeroize(kKemCtrl);

  // Encapsulate the vault message to that key, shared key into vault slot 9.
  b.write_bytes(kEncapsKey, kp.ek);
  b.wr(kKvKemMsgCtrl, 1 | 5 << 1);
  ASSERT_TRUE(b.wait(kKvKemMsgStatus, 3));
  b.wr(kKvSharedKeyCtrl, 1 | 9 << 1 | 1u << (6 + 5));  // AES key destination
  b.wr(kKemCtrl, kEncaps);
  ASSERT_TRUE(b.wait(kKemStatus, kValid));
  ASSERT_TRUE(b.wait(kKvSharedKeyStatus, 3));
  EXPECT_EQ(b.rd(kKvSharedKeyStatus) >> 2, 0u);
  EXPECT_EQ(b.rd(kKemStatus), kReady | kValid);
  const auto enc = crypto::mlkem1024::encaps(kp.ek, reversed_words_le(msg));
  EXPECT_EQ(b.read_bytes(kCiphertext, 1568), enc.ciphertext);
  EXPECT_EQ(b.read_words(kSharedKey, 8), test::Words(8, 0));  // vault message
  const KeyVault::ReadResult r = b.kv.read(9, KvClient::AesKey);
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.last_dword, 7u);
  EXPECT_EQ(reversed_words_le(test::Words(r.words.begin(), r.words.begin() + 8)), enc.shared_secret);
  b.zeroize(kKemCtrl);

  // KEYGEN+DECAPS from the vault seed gets the same shared key into slot 10.
  b.write_bytes(kCiphertext, enc.ciphertext);
  b.wr(kKvKemSeedCtrl, 1 | 2 << 1);
  ASSERT_TRUE(b.wait(kKvKemSeedStatus, 3));
  b.wr(kKvSharedKeyCtrl, 1 | 10 << 1 | 1u << (6 + 5));
  b.wr(kKemCtrl, kKeygenDecaps);
  ASSERT_TRUE(b.wait(kKvSharedKeyStatus, 3));
  ASSERT_TRUE(b.wait(kKemStatus, kReady | kValid));
  const KeyVault::ReadResult r2 = b.kv.read(10, KvClient::AesKey);
  EXPECT_EQ(reversed_words_le(test::Words(r2.words.begin(), r2.words.begin() + 8)), enc.shared_secret);
  b.zeroize(kKemCtrl);

  // Software inputs with a vault destination: the guard on SHARED_KEY is write_en, which the
  // copy clears as it starts (kv_write_client hwclr), so the key reads back afterwards.
  const auto& tc = doc["encapsulation"][0];
  b.write_bytes(kEncapsKey, hex(tc["ek"]));
  b.write_bytes(kKemMsg, hex(tc["m"]));
  b.wr(kKvSharedKeyCtrl, 1 | 11 << 1 | 1u << (6 + 5));
  EXPECT_EQ(b.rd(kKvSharedKeyCtrl), 1u | 11 << 1 | 1u << (6 + 5));
  b.wr(kKemCtrl, kEncaps);
  ASSERT_TRUE(b.wait(kKemStatus, kReady | kValid));  // READY waits for the vault copy
  EXPECT_EQ(b.rd(kKvSharedKeyStatus) & 3, 3u);
  EXPECT_EQ(b.rd(kKvSharedKeyCtrl) & 1, 0u);
  EXPECT_EQ(crypto::to_hex(b.read_bytes(kSharedKey, 32)), lower_hex(tc["k"]));
  const KeyVault::ReadResult r3 = b.kv.read(11, KvClient::AesKey);
  EXPECT_EQ(crypto::to_hex(reversed_words_le(test::Words(r3.words.begin(), r3.words.begin() + 8))),
            lower_hex(tc["k"]));
}

// The 2.1 memories are shared as the RTL shares them: DECAPS_KEY's copy of ek is the
// ENCAPS_KEY memory, so an encapsulation right after a keygen needs no ek writes.
TEST(Abr, MlkemKeygenThenEncapsSharesStorage) {
  const auto doc = load_json("mlkem1024_noble.json");
  const auto& tc = doc["cases"][0];
  AbrBench b(HwGen::V2_1);
  b.write_bytes(kSeedD, hex(tc["d"]));
  b.write_bytes(kSeedZ, hex(tc["z"]));
  b.wr(kKemCtrl, kKeygen);
  ASSERT_TRUE(b.wait(kKemStatus, kReady | kValid));
  b.write_bytes(kKemMsg, hex(tc["m"]));
  b.wr(kKemCtrl, kEncaps);
  ASSERT_TRUE(b.wait(kKemStatus, kReady | kValid));
  EXPECT_EQ(crypto::to_hex(b.read_bytes(kCiphertext, 1568)), lower_hex(tc["c"]));
  EXPECT_EQ(crypto::to_hex(b.read_bytes(kSharedKey, 32)), lower_hex(tc["k"]));
}
