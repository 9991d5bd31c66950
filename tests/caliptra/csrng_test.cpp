// CSRNG and ENTROPY_SRC through their registers: the NIST CAVP CTR_DRBG AES-256 no-df
// vector (instantiate from the additional data with flag0, two generates), the word order
// of CMD_REQ and GENBITS, the internal-state readout, and the Caliptra 1.x ROM's iTRNG
// sequence (caliptra-sw drivers/src/csrng.rs) against the entropy source.
#include <gtest/gtest.h>

#include "caliptra/csrng.h"
#include "caliptra/entropy_src.h"
#include "ip_test_util.h"

using namespace calemu::caliptra;
using namespace calemu::caliptra::test;

namespace {

// csrng.rdl
constexpr uint32_t kCtrl = 0x14, kCmdReq = 0x18, kSwCmdSts = 0x1C, kGenbitsVld = 0x20, kGenbits = 0x24;
constexpr uint32_t kIntStateNum = 0x28, kIntStateVal = 0x2C, kErrCode = 0x38, kRegwen = 0x10;
// entropy_src.rdl
constexpr uint32_t kEsModuleEnable = 0x20, kEsConf = 0x24, kEsRegwen = 0x18, kEsMainSm = 0xE0;
constexpr uint32_t kEsRepcnt = 0x34, kEsAdaptpHi = 0x3C, kEsAdaptpLo = 0x40, kEsAlertFailCounts = 0xA8;
constexpr uint32_t kTrue = 6, kFalse = 9;

uint32_t header(uint32_t acmd, uint32_t clen, uint32_t flag0, uint32_t glen) {
  return acmd | clen << 4 | flag0 << 8 | glen << 12;
}

Words generate(Bench& b, Csrng& cs, unsigned blocks) {
  wr(cs, kCmdReq, header(3, 0, kFalse, blocks));
  Words out;
  for (unsigned i = 0; i < blocks; ++i) {
    EXPECT_TRUE(b.run_until([&] { return rd(cs, kGenbitsVld) & 1; }, 100'000));
    for (unsigned w = 0; w < 4; ++w) out.push_back(rd(cs, kGenbits));
  }
  EXPECT_TRUE(b.run_until([&] { return cs.state().reseed_counter > 0 && (rd(cs, 0x40) == 0x4E); }, 100'000));
  return out;
}

// NIST CAVP drbgtestvectors CTR_DRBG.txt, [AES-256 no df], [PredictionResistance = False],
// no reseed, EntropyInputLen = 384, no nonce/personalization/additional input,
// ReturnedBitsLen = 512, COUNT = 2.
const char* kEntropyInput =
    "0217a8acf2f8e2c4ab7bdcd5a694bca28d038018869dcbe2160d1ce0b4c78ead5592efed98662f2dff87f32f4835c677";
const char* kReturnedBits =
    "aa36779726f52875312507fb084744d4d7f3f9468a5b246ccde316d2ab91879c"
    "2e29f5a0938a3bcd722bb718d01bbfc35831c9e64f5b6410ae908d3061f76c84";
const char* kKeyAfterInstantiate = "5118225735bdd47d02186824625fcf2943a4c025cbfda08c1143d9330e3413b5";
const char* kVAfterInstantiate = "27f2ec27afc005592e2506a13d33f3f9";

// NIST byte string -> CMD_REQ words (the packer puts the first word in the low bits).
Words to_cmd_words(const std::string& hex) {
  Words be = hex_words(hex);
  return Words(be.rbegin(), be.rend());
}

// GENBITS words -> NIST byte string (each block's last word comes first).
std::string genbits_hex(const Words& w) {
  Words be;
  for (size_t b = 0; b < w.size(); b += 4)
    for (int i = 3; i >= 0; --i) be.push_back(w[b + static_cast<size_t>(i)]);
  return words_hex(be);
}

}  // namespace

TEST(Csrng, NistCtrDrbgAes256NoDf) {
  Bench b;
  Csrng cs(b.ctx);
  EXPECT_EQ(rd(cs, kCtrl), 0x999u);
  EXPECT_EQ(rd(cs, kSwCmdSts), 1u);
  wr(cs, kCtrl, 0x666);
  wr(cs, kCmdReq, header(1, 12, kTrue, 0));  // instantiate from the additional data only
  for (uint32_t w : to_cmd_words(kEntropyInput)) wr(cs, kCmdReq, w);  // all to CMD_REQ
  ASSERT_TRUE(b.run_until([&] { return cs.state().instantiated && rd(cs, 0x40) == 0x4E; }));
  EXPECT_EQ(rd(cs, kSwCmdSts), 1u);

  // Internal state of the software instance: reseed counter, V and key, low words first.
  wr(cs, kIntStateNum, Csrng::kSwApp);
  Words st;
  for (unsigned i = 0; i < 14; ++i) st.push_back(rd(cs, kIntStateVal));
  EXPECT_EQ(st[0], 1u);
  EXPECT_EQ(words_hex(Words(st.rbegin() + 1, st.rbegin() + 9)), kKeyAfterInstantiate);
  EXPECT_EQ(words_hex(Words(st.rbegin() + 9, st.rbegin() + 13)), kVAfterInstantiate);
  EXPECT_EQ(st[13], 1u) << "instantiated, not FIPS (no entropy-source seed)";

  generate(b, cs, 4);
  EXPECT_EQ(genbits_hex(generate(b, cs, 4)), kReturnedBits);
  EXPECT_EQ(rd(cs, kErrCode), 0u);
}

TEST(Csrng, DisabledOrNoAppEnable) {
  Bench b;
  Csrng cs(b.ctx);
  wr(cs, kCmdReq, header(1, 0, kTrue, 0));  // disabled: dropped
  b.run(1000);
  EXPECT_FALSE(cs.state().instantiated);
  wr(cs, kCtrl, 0x696);  // enabled, SW_APP_ENABLE false
  wr(cs, kCmdReq, header(1, 0, kTrue, 0));
  wr(cs, kCmdReq, header(3, 0, kFalse, 1));
  ASSERT_TRUE(b.run_until([&] { return rd(cs, kGenbitsVld) & 1; }));
  EXPECT_EQ(rd(cs, kGenbits), 0u) << "genbits are masked without SW_APP_ENABLE";
  wr(cs, kRegwen, 0);
  wr(cs, kCtrl, 0x999);
  EXPECT_EQ(rd(cs, kCtrl), 0x696u) << "REGWEN cleared locks CTRL";
  wr(cs, kCtrl, 0x5);  // and not even an invalid encoding gets through
  EXPECT_EQ(rd(cs, 0x34), 0u);
}

// The ROM's iTRNG bring-up (caliptra-sw 1.x drivers/src/csrng.rs Csrng::with_seed).
TEST(Csrng, CaliptraRomSequenceWithEntropySource) {
  auto run_rom = [](uint64_t seed) {
    Bench b;
    b.ctx.seed = seed;
    EntropySrc es(b.ctx);
    Csrng cs(b.ctx);
    cs.set_entropy_source(&es);
    EXPECT_EQ(rd(es, kEsModuleEnable), kFalse);
    EXPECT_EQ(rd(es, kEsMainSm), 0xF5u);
    wr(es, kEsRepcnt, 41);
    wr(es, kEsAdaptpHi, 1536);
    wr(es, kEsAdaptpLo, 512);
    wr(es, kEsConf, kTrue | kFalse << 4 | kTrue << 12 | kFalse << 20);
    wr(es, kEsModuleEnable, kTrue);
    EXPECT_EQ(rd(es, kEsRegwen), 0u) << "configuration locks while enabled";
    wr(es, kEsAdaptpLo, 7);
    EXPECT_EQ(rd(es, kEsAdaptpLo), 512u);
    EXPECT_TRUE(b.run_until([&] {
      const uint32_t s = rd(es, kEsMainSm);
      return s == 0x1A2 || s == 0x8E;  // CONT_HT_RUNNING / BOOT_PHASE_DONE
    }));
    EXPECT_EQ(rd(es, kEsAlertFailCounts), 0u);
    wr(cs, kCtrl, kTrue | kTrue << 4 | kTrue << 8);
    wr(cs, kCmdReq, header(5, 0, kFalse, 0));  // uninstantiate
    wr(cs, kCmdReq, header(1, 0, kFalse, 0));  // instantiate from the entropy source
    EXPECT_TRUE(b.run_until([&] { return cs.state().instantiated && rd(cs, 0x40) == 0x4E; }));
    EXPECT_EQ(rd(cs, kSwCmdSts), 1u);
    EXPECT_EQ(rd(cs, kErrCode), 0u);
    const Words bits = generate(b, cs, 3);  // generate12
    EXPECT_TRUE(cs.state().fips);
    return bits;
  };
  const Words a = run_rom(7), again = run_rom(7), other = run_rom(8);
  EXPECT_EQ(a.size(), 12u);
  EXPECT_EQ(a, again) << "the same seed gives the same entropy";
  EXPECT_NE(a, other);
}

TEST(EntropySrc, WriteEnablesAndBootMode) {
  Bench b;
  EntropySrc es(b.ctx);
  EXPECT_EQ(rd(es, 0x1C), 0x010303u);  // REV
  wr(es, kEsConf, kFalse | kFalse << 4 | kFalse << 12 | kFalse << 20);
  wr(es, kEsModuleEnable, kTrue);
  ASSERT_TRUE(b.run_until([&] { return rd(es, kEsMainSm) == 0x8E; }));
  EXPECT_EQ(rd(es, 0xD0), 1u << 17) << "DEBUG_STATUS.MAIN_SM_BOOT_DONE";
  wr(es, kEsModuleEnable, kFalse);
  EXPECT_EQ(rd(es, kEsMainSm), 0xF5u);
  EXPECT_EQ(rd(es, kEsRegwen), 1u);
  wr(es, 0x10, 0);  // ME_REGWEN is rw0c
  wr(es, 0x10, 1);
  EXPECT_EQ(rd(es, 0x10), 0u);
  wr(es, kEsModuleEnable, kTrue);
  EXPECT_EQ(rd(es, kEsModuleEnable), kFalse) << "MODULE_ENABLE locked by ME_REGWEN";
  wr(es, kEsConf, 0x5);  // invalid MuBi in FIPS_ENABLE
  EXPECT_EQ(rd(es, 0xD4) & 1, 1u);
}
