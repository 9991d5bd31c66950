// The 2.1 SHA3/KMAC engine through its registers only, as caliptra-sw's SHA3 driver drives
// it (CFG twice, START, message into MSG_FIFO, PROCESS, read STATE, DONE), against FIPS 202
// example values (SHA3-224/256/384/512 of "abc", SHAKE128/256 of the empty string), the
// NIST SP 800-185 cSHAKE samples, OpenSSL's SHAKE for output beyond one rate (RUN), and
// kmac_errchk.sv's error codes.
#include <gtest/gtest.h>

#include <map>

#include "caliptra/keyvault.h"
#include "caliptra/sha3.h"
#include "crypto/sha.h"
#include "ip_test_util.h"

using namespace calemu;
using namespace calemu::caliptra;
using namespace calemu::caliptra::test;

namespace {

constexpr uint32_t kIntrState = 0x00, kIntrEnable = 0x04, kIntrTest = 0x08, kCfgRegwen = 0x10, kCfg = 0x14,
                   kCmd = 0x18, kStatus = 0x1C, kPrefix = 0x20, kErrCode = 0x4C, kState = 0x400, kMsgFifo = 0x800;
// sha3_reg at +0x1000, its interrupt block at +0x1400.
constexpr uint32_t kClp = 0x1000, kIntr = kClp + 0x400;

uint32_t cfg_value(uint32_t mode, uint32_t strength, bool msg_be = false, bool state_be = true) {
  return strength << 1 | mode << 4 | (msg_be ? 1u << 8 : 0) | (state_be ? 1u << 9 : 0);
}

class Sha3Test : public ::testing::Test, protected test::Bench {
 protected:
  Sha3Test() : Bench(HwGen::V2_1), sha3(ctx) {}

  bool run_until(const std::function<bool()>& pred, uint64_t max_cycles = 100'000) {
    return Bench::run_until(pred, max_cycles);
  }
  uint32_t status() { return rd(sha3, kStatus); }
  void configure(uint32_t cfg) {
    wr(sha3, kCfg, cfg);
    wr(sha3, kCfg, cfg);
  }
  void start(uint32_t cfg) {
    configure(cfg);
    wr(sha3, kCmd, Sha3::kCmdStart);
    ASSERT_TRUE(run_until([&] { return status() & Sha3::kSha3Absorb; }));
  }
  // Words as the driver writes them, trailing bytes one at a time at the window's start.
  void push(const crypto::Bytes& msg) {
    size_t i = 0;
    for (; i + 4 <= msg.size(); i += 4)
      wr(sha3, kMsgFifo, uint32_t{msg[i]} | uint32_t{msg[i + 1]} << 8 | uint32_t{msg[i + 2]} << 16 |
                             uint32_t{msg[i + 3]} << 24);
    for (; i < msg.size(); ++i) sha3.write(kMsgFifo, 1, msg[i], bus::Requester::cpu());
  }
  // With state_endianness set, the state words read in byte order.
  crypto::Bytes squeeze(size_t len) {
    wr(sha3, kCmd, Sha3::kCmdProcess);
    EXPECT_TRUE(run_until([&] { return status() & Sha3::kSha3Squeeze; }));
    const Words w = rd_words(sha3, kState, static_cast<unsigned>((len + 3) / 4));
    crypto::Bytes out;
    for (uint32_t x : w)
      for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(x >> s));
    out.resize(len);
    return out;
  }
  std::string digest(uint32_t mode, uint32_t strength, const crypto::Bytes& msg, size_t len) {
    start(cfg_value(mode, strength));
    push(msg);
    const std::string out = crypto::to_hex(squeeze(len));
    wr(sha3, kCmd, Sha3::kCmdDone);
    EXPECT_TRUE(status() & Sha3::kSha3Idle);
    return out;
  }

  Sha3 sha3;
};

}  // namespace

TEST_F(Sha3Test, ResetStateAndIdentity) {
  EXPECT_EQ(status(), Sha3::kSha3Idle | Sha3::kFifoEmpty);
  EXPECT_EQ(rd(sha3, kCfgRegwen), 1u);
  EXPECT_EQ(rd(sha3, kClp + 0x0), 0x6133'7368u);  // "sha3"
  EXPECT_EQ(rd(sha3, kClp + 0x8), 0x3030'312Eu);  // "2.00"
  // sha3_ctrl.sv ties the wrapper's copies of the KMAC registers to 0.
  EXPECT_EQ(rd(sha3, kClp + 0x20), 0u);
  EXPECT_EQ(rd(sha3, kClp + 0x2C), 0u);
  wr(sha3, kClp + 0x24, 0x33E);
  EXPECT_EQ(rd(sha3, kClp + 0x24), 0u);
  wr(sha3, kClp + 0x28, 0x43F);
  EXPECT_EQ(rd(sha3, kClp + 0x28), 0u);
}

TEST_F(Sha3Test, Fips202Sha3AndShake) {
  const crypto::Bytes abc = ascii("abc");
  EXPECT_EQ(digest(Sha3::kSha3, Sha3::kL224, abc, 28), "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf");
  EXPECT_EQ(digest(Sha3::kSha3, Sha3::kL256, abc, 32),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  EXPECT_EQ(digest(Sha3::kSha3, Sha3::kL384, abc, 48),
            "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25");
  EXPECT_EQ(digest(Sha3::kSha3, Sha3::kL512, abc, 64),
            "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
            "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0");
  EXPECT_EQ(digest(Sha3::kShake, Sha3::kL128, {}, 32), "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
  // The ROM's SHAKE-256 KAT.
  EXPECT_EQ(digest(Sha3::kShake, Sha3::kL256, {}, 64),
            "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f"
            "d75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be");
}

TEST_F(Sha3Test, LongMessagesAcrossBlocksMatchOpenSsl) {
  crypto::Bytes msg(1000);
  for (size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<uint8_t>(i * 7 + 3);
  EXPECT_EQ(digest(Sha3::kSha3, Sha3::kL256, msg, 32), crypto::to_hex(crypto::sha3_256(msg)));
  EXPECT_EQ(digest(Sha3::kSha3, Sha3::kL512, msg, 64), crypto::to_hex(crypto::sha3_512(msg)));
  crypto::Bytes odd(msg.begin(), msg.begin() + 137);  // one byte past SHA3-256's rate
  EXPECT_EQ(digest(Sha3::kSha3, Sha3::kL256, odd, 32), crypto::to_hex(crypto::sha3_256(odd)));
}

// SHAKE output beyond one rate: read the rate's bytes, RUN, read again (kmac_reg.rdl STATE).
TEST_F(Sha3Test, ShakeSqueezesMoreWithRun) {
  const crypto::Bytes msg = ascii("Caliptra");
  start(cfg_value(Sha3::kShake, Sha3::kL128));
  push(msg);
  crypto::Bytes out = squeeze(168);
  wr(sha3, kCmd, Sha3::kCmdRun);
  EXPECT_FALSE(status() & Sha3::kSha3Squeeze);
  EXPECT_EQ(rd(sha3, kState), 0u);  // the state is hidden outside the squeeze state
  ASSERT_TRUE(run_until([&] { return status() & Sha3::kSha3Squeeze; }));
  const Words w = rd_words(sha3, kState, 42);
  for (uint32_t x : w)
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(x >> s));
  EXPECT_EQ(crypto::to_hex(out), crypto::to_hex(crypto::shake128(msg, 336)));
  // Beyond the 1600-bit state the window reads zero.
  EXPECT_EQ(rd(sha3, kState + 4 * 50), 0u);
  EXPECT_EQ(rd(sha3, kState + 0x100), 0u);
  wr(sha3, kCmd, Sha3::kCmdDone);
}

// NIST SP 800-185 cSHAKE samples 1-4 (N = "", S = "Email Signature"); PREFIX holds
// encode_string(N) || encode_string(S).
TEST_F(Sha3Test, CShakeNistSamples) {
  crypto::Bytes prefix = {0x01, 0x00, 0x01, 0x78};
  const crypto::Bytes s = ascii("Email Signature");
  prefix.insert(prefix.end(), s.begin(), s.end());
  const Words pw = [&] {
    Words w(11, 0);
    for (size_t i = 0; i < prefix.size(); ++i) w[i / 4] |= uint32_t{prefix[i]} << (8 * (i % 4));
    return w;
  }();
  wr_words(sha3, kPrefix, pw);
  crypto::Bytes data200(200);
  for (size_t i = 0; i < 200; ++i) data200[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(digest(Sha3::kCShake, Sha3::kL128, {0, 1, 2, 3}, 32),
            "c1c36925b6409a04f1b504fcbca9d82b4017277cb5ed2b2065fc1d3814d5aaf5");
  EXPECT_EQ(digest(Sha3::kCShake, Sha3::kL128, data200, 32),
            "c5221d50e4f822d96a2e8881a961420f294b7b24fe3d2094baed2c6524cc166b");
  EXPECT_EQ(digest(Sha3::kCShake, Sha3::kL256, {0, 1, 2, 3}, 64),
            "d008828e2b80ac9d2218ffee1d070c48b8e4c87bff32c9699d5b6896eee0edd1"
            "64020e2be0560858d9c00c037e34a96937c561a74c412bb4c746469527281c8c");
  EXPECT_EQ(digest(Sha3::kCShake, Sha3::kL256, data200, 64),
            "07dc27b11e51fbac75bc7b3c1d983e8b4b85fb1defaf218912ac86430273091727f42b17ed1df63e8ec118f04b23633c1dfb1574c8fb55cb45da8e25afb092bb");
}

TEST_F(Sha3Test, EndiannessOptions) {
  // msg_endianness: each word's bytes enter most significant first; single bytes are unchanged.
  configure(cfg_value(Sha3::kSha3, Sha3::kL256, true, false));
  wr(sha3, kCmd, Sha3::kCmdStart);
  wr(sha3, kMsgFifo, 0x6162'6364);  // "abcd"
  sha3.write(kMsgFifo, 1, 'e', bus::Requester::cpu());
  wr(sha3, kCmd, Sha3::kCmdProcess);
  ASSERT_TRUE(run_until([&] { return status() & Sha3::kSha3Squeeze; }));
  // state_endianness off: the words read little-endian.
  const Words w = rd_words(sha3, kState, 8);
  crypto::Bytes out;
  for (uint32_t x : w)
    for (int s = 0; s < 32; s += 8) out.push_back(static_cast<uint8_t>(x >> s));
  EXPECT_EQ(crypto::to_hex(out), crypto::to_hex(crypto::sha3_256(ascii("abcde"))));
  wr(sha3, kCmd, Sha3::kCmdDone);
}

// The AHB bridge delivers narrow write data in the low byte lanes: a byte written at
// offset 1 of a word joins the message as a zero byte.
TEST_F(Sha3Test, UnalignedByteWritesArriveAsZero) {
  start(cfg_value(Sha3::kSha3, Sha3::kL256));
  sha3.write(kMsgFifo + 1, 1, 'x', bus::Requester::cpu());
  EXPECT_EQ(crypto::to_hex(squeeze(32)), crypto::to_hex(crypto::sha3_256(crypto::Bytes{0})));
  wr(sha3, kCmd, Sha3::kCmdDone);
}

TEST_F(Sha3Test, CommandSequenceErrors) {
  wr(sha3, kIntrEnable, Sha3::kIntrKmacErr | Sha3::kIntrKmacDone);
  wr(sha3, kIntr + 0x0, 3);    // global_intr_en_r
  wr(sha3, kIntr + 0x4, 1);    // sha3_error
  wr(sha3, kIntr + 0x8, 1);    // notif_cmd_done
  // PROCESS while idle: ErrSwCmdSequence, info {3'b100 at [18:16], state Idle, the command}.
  wr(sha3, kCmd, Sha3::kCmdProcess);
  EXPECT_EQ(rd(sha3, kErrCode), 0x0804'002Eu);
  EXPECT_EQ(rd(sha3, kIntrState), Sha3::kIntrKmacErr);
  EXPECT_EQ(rd(sha3, kIntr + 0x14), 1u);  // sha3_error_sts
  EXPECT_TRUE(irq[kIrqSha3Error]);
  EXPECT_EQ(rd(sha3, kIntr + 0x100), 1u);  // its counter
  wr(sha3, kIntr + 0x14, 1);
  EXPECT_FALSE(irq[kIrqSha3Error]);
  EXPECT_TRUE(status() & Sha3::kSha3Idle);  // the command never reached the core
  // Message data while software does not own the engine: ErrSwPushedMsgFifo.
  wr(sha3, kMsgFifo, 0x1234);
  EXPECT_EQ(rd(sha3, kErrCode), 0x0200'BE14u);
  // SHA3 with 128-bit strength: ErrUnexpectedModeStrength {3'b010, mode, strength}.
  configure(cfg_value(Sha3::kSha3, Sha3::kL128));
  wr(sha3, kCmd, Sha3::kCmdStart);
  EXPECT_EQ(rd(sha3, kErrCode), 0x0602'0000u);
  configure(cfg_value(1, Sha3::kL256));  // mode 1 does not exist
  wr(sha3, kCmd, Sha3::kCmdStart);
  EXPECT_EQ(rd(sha3, kErrCode), 0x0602'0012u);
  EXPECT_TRUE(status() & Sha3::kSha3Idle);
  // DONE while absorbing, and an undefined code.
  start(cfg_value(Sha3::kSha3, Sha3::kL256));
  wr(sha3, kCmd, Sha3::kCmdDone);
  EXPECT_EQ(rd(sha3, kErrCode), 0x0804'0116u);
  wr(sha3, kCmd, 0x3F);
  EXPECT_EQ(rd(sha3, kErrCode), 0x0804'013Fu);
  EXPECT_TRUE(status() & Sha3::kSha3Absorb);
  // The done interrupt after PROCESS, through KMAC's INTR_ENABLE and the wrapper's block.
  wr(sha3, kCmd, Sha3::kCmdProcess);
  wr(sha3, kCmd, Sha3::kCmdRun);  // RUN while processing: refused (state Processing = 2)
  EXPECT_EQ(rd(sha3, kErrCode), 0x0804'0231u);
  ASSERT_TRUE(run_until([&] { return status() & Sha3::kSha3Squeeze; }));
  EXPECT_TRUE(rd(sha3, kIntrState) & Sha3::kIntrKmacDone);
  EXPECT_EQ(rd(sha3, kIntr + 0x18), 1u);  // notif_cmd_done_sts
  EXPECT_TRUE(irq[kIrqSha3Notif]);
  wr(sha3, kCmd, Sha3::kCmdDone);
}

TEST_F(Sha3Test, ShadowedConfigurationAndItsLock) {
  wr(sha3, kCfg, cfg_value(Sha3::kShake, Sha3::kL256));
  EXPECT_EQ(rd(sha3, kCfg), 0u);  // staged only; the read also restarts the sequence
  wr(sha3, kCfg, cfg_value(Sha3::kShake, Sha3::kL256));
  wr(sha3, kCfg, cfg_value(Sha3::kShake, Sha3::kL128));  // unequal second write
  EXPECT_EQ(rd(sha3, kCfg), 0u);
  EXPECT_TRUE(status() & Sha3::kAlertRecovCtrlUpdateErr);
  wr(sha3, kCmd, 1u << 10);  // err_processed
  EXPECT_FALSE(status() & Sha3::kAlertRecovCtrlUpdateErr);
  start(cfg_value(Sha3::kShake, Sha3::kL256));
  EXPECT_EQ(rd(sha3, kCfgRegwen), 0u);
  configure(cfg_value(Sha3::kSha3, Sha3::kL512));  // locked while not idle
  EXPECT_EQ(rd(sha3, kCfg), cfg_value(Sha3::kShake, Sha3::kL256));
  wr(sha3, kCmd, Sha3::kCmdProcess);
  ASSERT_TRUE(run_until([&] { return status() & Sha3::kSha3Squeeze; }));
  wr(sha3, kCmd, Sha3::kCmdDone);
  EXPECT_EQ(rd(sha3, kCfgRegwen), 1u);
}

TEST_F(Sha3Test, InterruptTestBits) {
  wr(sha3, kIntrEnable, 0x7);
  wr(sha3, kIntr + 0x0, 3);
  wr(sha3, kIntr + 0x8, 3);
  wr(sha3, kIntrTest, Sha3::kIntrFifoEmpty);  // a status interrupt: stays until the test bit goes
  EXPECT_EQ(rd(sha3, kIntrState), Sha3::kIntrFifoEmpty);
  wr(sha3, kIntrState, Sha3::kIntrFifoEmpty);  // not write-one-to-clear
  EXPECT_EQ(rd(sha3, kIntrState), Sha3::kIntrFifoEmpty);
  EXPECT_EQ(rd(sha3, kIntr + 0x18), 2u);      // notif_msg_fifo_empty_sts
  EXPECT_EQ(rd(sha3, kIntr + 0x184), 0u);     // and it has no counter (0x184 is not mapped)
  wr(sha3, kIntrTest, 0);
  EXPECT_EQ(rd(sha3, kIntrState), 0u);
  wr(sha3, kIntrTest, Sha3::kIntrKmacDone);
  EXPECT_EQ(rd(sha3, kIntrState), Sha3::kIntrKmacDone);
  EXPECT_EQ(rd(sha3, kIntr + 0x180), 1u);     // notif_cmd_done_intr_count_r
}

TEST_F(Sha3Test, BusErrors) {
  uint32_t v = 0;
  EXPECT_EQ(sha3.read(kMsgFifo, 4, v, bus::Requester::cpu()), bus::BusResult::BusError);
  EXPECT_EQ(sha3.write(kState, 4, 0, bus::Requester::cpu()), bus::BusResult::BusError);
  EXPECT_EQ(sha3.read(0x50, 4, v, bus::Requester::cpu()), bus::BusResult::BusError);
  EXPECT_EQ(sha3.read(0x600, 4, v, bus::Requester::cpu()), bus::BusResult::BusError);
  EXPECT_EQ(sha3.write(kPrefix + 1, 1, 0, bus::Requester::cpu()), bus::BusResult::BusError);  // PERMIT 1111
  EXPECT_EQ(sha3.write(kCfg, 1, 0, bus::Requester::cpu()), bus::BusResult::BusError);         // PERMIT 0011
  EXPECT_EQ(sha3.write(kIntrEnable, 1, 1, bus::Requester::cpu()), bus::BusResult::Ok);        // PERMIT 0001
  EXPECT_EQ(rd(sha3, kIntrEnable), 1u);
  EXPECT_EQ(sha3.read(kStatus + 1, 1, v, bus::Requester::cpu()), bus::BusResult::Ok);
  EXPECT_EQ(v, 0x40u);  // fifo_empty, bit 14
}
