// HMAC-384, ECC-384 and DOE through their registers: RFC 4231 (HMAC-SHA-384), RFC 6979
// A.2.6 and the caliptra-rtl ECC testbench vectors (keygen from seed + nonce through the
// engine's HMAC-DRBG), SP 800-38A F.2.6 (AES-256-CBC) for the DOE, and the key-vault
// routes between them.
#include <gtest/gtest.h>

#include "caliptra/doe.h"
#include "caliptra/ecc.h"
#include "caliptra/hmac.h"
#include "crypto/sha.h"
#include "ip_test_util.h"

using namespace calemu::caliptra;
using namespace calemu::caliptra::test;
using calemu::crypto::Bytes;
using calemu::crypto::from_hex;

namespace {

// hmac_reg.rdl
constexpr uint32_t kHCtrl = 0x10, kHStatus = 0x18, kHKey = 0x40, kHBlock = 0x80, kHTag = 0x100;
constexpr uint32_t kHKvRdKey = 0x600, kHKvRdKeySts = 0x604, kHKvRdBlock = 0x608, kHKvRdBlockSts = 0x60C;
constexpr uint32_t kHKvWr = 0x610, kHKvWrSts = 0x614;
// ecc_reg.rdl
constexpr uint32_t kECtrl = 0x10, kEStatus = 0x18, kESeed = 0x80, kEMsg = 0x100, kEPrivOut = 0x180;
constexpr uint32_t kEPubX = 0x200, kEPubY = 0x280, kER = 0x300, kES = 0x380, kEVerifyR = 0x400;
constexpr uint32_t kEIv = 0x480, kENonce = 0x500, kEPrivIn = 0x580;
constexpr uint32_t kEKvRdPkey = 0x600, kEKvRdPkeySts = 0x604, kEKvRdSeed = 0x608, kEKvRdSeedSts = 0x60C;
constexpr uint32_t kEKvWr = 0x610, kEKvWrSts = 0x614;
// doe_reg.rdl
constexpr uint32_t kDIv = 0x0, kDCtrl = 0x10, kDStatus = 0x14;

uint32_t kv_write_ctrl(unsigned slot, uint8_t dest) { return 1u | slot << 1 | uint32_t{dest} << 6; }
uint32_t kv_read_ctrl(unsigned slot) { return 1u | slot << 1; }

Words hmac_engine(Bench& b, Hmac& h, const Bytes& key, const Bytes& msg) {
  Bytes k = key;
  k.resize(48);
  wr_words(h, kHKey, be_words(k));
  const Words padded = sha_pad(msg, 128, 1024);
  for (size_t blk = 0; blk < padded.size() / 32; ++blk) {
    wr_words(h, kHBlock, std::span<const uint32_t>(padded).subspan(blk * 32, 32));
    wr(h, kHCtrl, blk == 0 ? 1 : 2);
    EXPECT_EQ(rd(h, kHStatus), 0u);
    EXPECT_TRUE(b.run_until([&] { return rd(h, kHStatus) & 2; }));
  }
  return rd_words(h, kHTag, 12);
}

}  // namespace

// RFC 4231 §4.2, §4.3, §4.4, §4.5 (keys no longer than the engine's 48 bytes).
TEST(HmacEngine, Rfc4231Sha384) {
  Bench b;
  Hmac h(b.ctx);
  EXPECT_EQ(rd(h, 0x0), 0x6163686du);  // "hmacsha2"
  EXPECT_EQ(rd(h, 0x130), 0u) << "LFSR_SEED is write-only";
  Bytes key4(25);
  for (unsigned i = 0; i < 25; ++i) key4[i] = static_cast<uint8_t>(i + 1);
  struct Case { Bytes key; Bytes data; const char* tag; };
  const Case cases[] = {
      {Bytes(20, 0x0b), ascii("Hi There"),
       "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"},
      {ascii("Jefe"), ascii("what do ya want for nothing?"),
       "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"},
      {Bytes(20, 0xaa), Bytes(50, 0xdd),
       "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27"},
      {key4, Bytes(50, 0xcd),
       "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb"},
  };
  for (const Case& c : cases) EXPECT_EQ(words_hex(hmac_engine(b, h, c.key, c.data)), c.tag);
  // A message over two blocks (INIT then NEXT), against OpenSSL.
  const Bytes long_msg(200, 0x5a);
  EXPECT_EQ(words_hex(hmac_engine(b, h, Bytes(48, 0x11), long_msg)),
            calemu::crypto::to_hex(calemu::crypto::hmac_sha384(Bytes(48, 0x11), long_msg)));
}

// Key and data from the vault, tag back to it: the DICE KDF shape the ROM uses.
TEST(HmacEngine, KeyVaultKeyBlockAndTag) {
  Bench b;
  Hmac h(b.ctx);
  const Bytes key = from_hex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
  const Bytes data = calemu::crypto::sha384(ascii("cdi input"));
  ASSERT_TRUE(b.kv.write(2, be_words(key), kv_dest(KvClient::HmacKey)));
  ASSERT_TRUE(b.kv.write(3, be_words(data), kv_dest(KvClient::HmacBlock)));

  wr(h, kHKvRdKey, kv_read_ctrl(2));
  wr(h, kHKvRdBlock, kv_read_ctrl(3));
  ASSERT_TRUE(b.run_until([&] { return (rd(h, kHKvRdKeySts) & 2) && (rd(h, kHKvRdBlockSts) & 2); }));
  EXPECT_EQ(rd(h, kHKvRdKeySts), 3u);
  wr(h, kHKey, 0x1234);  // locked while vault data is present
  wr(h, kHKvWr, kv_write_ctrl(9, kv_dest(KvClient::EccSeed) | kv_dest(KvClient::HmacKey)));
  wr(h, kHCtrl, 1);
  ASSERT_TRUE(b.run_until([&] { return (rd(h, kHKvWrSts) & 3) == 3; }));
  EXPECT_EQ(rd(h, kHKvWrSts) >> 2, 0u);
  EXPECT_EQ(rd_words(h, kHTag, 12), Words(12, 0)) << "a vault-bound tag never reaches TAG";

  const Bytes expect = calemu::crypto::hmac_sha384(key, data);
  const KeyVault::ReadResult r = b.kv.read(9, KvClient::EccSeed);
  ASSERT_FALSE(r.error);
  EXPECT_EQ(words_hex(Words(r.words.begin(), r.words.begin() + 12)), calemu::crypto::to_hex(expect));
  EXPECT_EQ(b.kv.ctrl(9) >> KeyVault::kDestValidShift & 0xFF, 0x11u);
  EXPECT_EQ(b.kv.ctrl(9) >> b.kv.last_dword_shift() & 0xF, 11u);
}

TEST(HmacEngine, VaultReadWithoutDestBitFails) {
  Bench b;
  Hmac h(b.ctx);
  ASSERT_TRUE(b.kv.write(4, Words(12, 0x77777777), kv_dest(KvClient::EccSeed)));
  wr(h, kHKvRdKey, kv_read_ctrl(4));
  EXPECT_EQ(rd(h, kHKvRdKeySts) >> 2, 1u) << "KV_READ_FAIL";
  ASSERT_TRUE(b.run_until([&] { return rd(h, kHKvRdKeySts) & 2; }));
  EXPECT_EQ(rd(h, kHKvRdKeySts), 3u | 1u << 2);
  // The tag of the zeroed key is withheld too; the write into a locked slot fails.
  wr(b.kv, 0x4 * 6, KeyVault::kLockWr);
  wr(h, kHKvWr, kv_write_ctrl(6, 1));
  wr(h, kHCtrl, 1);
  ASSERT_TRUE(b.run_until([&] { return (rd(h, kHKvWrSts) & 3) == 3; }));
  EXPECT_EQ(rd(h, kHKvWrSts) >> 2, 2u) << "KV_WRITE_FAIL";
}

namespace {

// caliptra-rtl v1.1 src/ecc/tb/secp384_testvector_all.hex: the RTL testbench's vectors
// (hashed message, private key, public key, seed, nonce, R, S, IV). Keygen from seed and
// nonce must give the private key, through the engine's own HMAC-DRBG.
struct RtlVector { const char* msg; const char* priv; const char* x; const char* y; const char* seed; const char* nonce; const char* r; const char* s; const char* iv; };
const RtlVector kRtlVectors[] = {
    {"4A92E81D106262971437AE60ECE5EDB1680FA19ED2357DF37F9B82512EF1A1C7D724D8DA27AE6DE8D9D3F777B6B619B2",
     "13672C8525C01F3D385DC0BCF96AC9B5BF622FBC5F23C793C9E6D564DFAD92BFA58088679A1DCC965D3BCBA6EDFDEE80",
     "2A88C6126AE15417D703D26FD95AD4D9B43BD983AAA0E84B8C7898C443F47D14B354709E0331187258E2549A0D27BD20",
     "5F3C2C4CD124F0972805CF00C131CC5E7150B2D7CB7AD818E61799AE15B5752D046E8D36FBEEA6D0E292087D577C0CEC",
     "80507D7D77FBF4F234002F6520D41D35B44DAED3F80D87350BB9B38356CB4B06087915952D4CA13B7DCB2B84AB8430BB",
     "C274EF2DA5639EE0742EDA96FFF23CD59C8949D76F24C6A1D82949F739CCC18F4E4031CD104AA90EE1BA894F9AC91E68",
     "8C6082F7B673BCAF9BA8D238A33FA6C46CE94C71D89838B0BB6839BE812E80D341EAA03EAC590E3A8C5D88F87F98DEF6",
     "278E80A4B43E630976F3B77859549F6A8F0F56CBDC22E8269C026F4D86FD26ECA93EDE5C94F0ABB2F7B60BF3CA209E55",
     "00EB422ED939AF9BB8716C5E01CB32A0B33687B8960E9F70700D3C95E3764FEC1941D1A7DA4877F41D431BDC4A4E9193"},
    {"308A1BAA743B9CA910F5F349D0946EDD6B95E2BB9D13696A5E95399A53057810914ABE4233FC0DA1C30A6CCE7E322910",
     "90BE06450E91A121E503E5ED07B14ECC42ED0978E74ABB37C1E0D8BD5CA3E2A0FE2C28F0E4AB82725B262FA392B3F620",
     "78C7E89EFA42201E165651DCB20D63E985B0C8901CAB8B553315A9493E59D56ED06D83A3062AD1601FEF7663AA76C1EE",
     "B1135727F440DB88179179CE7C80ECED2F459C2319E2C42BC903A536A155AAF2A408BE36C0CF317B2FE9ACB69A652F0D",
     "3D2F8C13932B008217305D38F1A7F2B4D6C1D94EF733CAD20ADEE90A7283131892AA4C78C8FDE8F7709A7EF974E24529",
     "567A4B56B9A3933F91978BDB243B10D6BC353C30890E5E8B54E25E34842C0FB5DB9CA32849EF1B24F1CAFC37FCA5CF3E",
     "26EF6019EFA605663110D75C33C210B83BFED40FB9A300BB6245537C3E00493F2F5C9C0562BE11FB06E7CC809FCB021D",
     "1FEA55F7595D4725B704CBC30D4D469705E95E1DE52DCD0C2D6282A7539D4ED759CC2EBA61F8A1C981A0D7E2844D7532",
     "2B80CEE87346B40D657BB380A22FEBECE71E59FA4DC75914884C9F1BA030E3BD0E43FBDDA75FA0936FF40DA72539A6B3"},
    {"7A8ED259BDA28CA4DC5D868BD93E6BC94856A862A6222BC399C41219BDFDF79E8F75331B1BD03A872D711D51FFE3E754",
     "786E91057BAD34DAFA29AB7AB606D3F739E5F5898B31E6B38ED8EFE82C6EB24D697B82230D35764681125A0D8AE5A0DD",
     "3E3DE9837E5937A52087CD0E9A921580CCBC454B74970AC5239FA730A299D01FBC9D6E26F20BEA4126C3084736FF3B82",
     "215E1D2BD0CF0EC0771204C7978FA104852A4E83C4ECFD7F20942FB3B6474317520BF872EC8289C9000DB1EAB849CDC2",
     "2D698222E80B93860CF6708BBDA5415F0BE908885057E9CF506A898358BB445D61175B3C58E45679D911DAF27243B26D",
     "318897FBB64B66ADFCAFCC7DC50560861789706AEFAE9F3A2C0B4CAA1994E8BC008D6F5CE6FAD5BEB5A40620968A9A28",
     "AB5B2B7202CDBC295E98E86EE07F2C923091EA6EA87A0EE08B2165717D7ED0FA27254E3C3B300EA2F680F678ABE74616",
     "6AAEB4FF73C62001AAB1702285BB0FAB99DDCCE2DAF1116D9C7820AC8FA0235DEA948DF9AAEB7EF3B62A55CE5D359FFB",
     "49DFB744A477D3F45BD8E1604072096F4BE5EA6BA7D66CC9136F331E50843AAAD72270B7F4340A5E340FCDCFAB4AE948"},
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool ecc_run(Bench& b, Ecc& e, uint32_t ctrl) {
  wr(e, kECtrl, ctrl);
  return b.run_until([&] { return rd(e, kEStatus) & 1; }, 2'000'000) && (rd(e, kEStatus) & 2);
}

}  // namespace

TEST(EccEngine, KeygenSignVerifyMatchRtlTestbenchVectors) {
  Bench b;
  Ecc e(b.ctx);
  EXPECT_EQ(rd(e, 0x0), 0x63707365u);  // "secp-384"
  for (const RtlVector& v : kRtlVectors) {
    wr_words(e, kESeed, hex_words(v.seed));
    wr_words(e, kENonce, hex_words(v.nonce));
    wr_words(e, kEIv, hex_words(v.iv));
    ASSERT_TRUE(ecc_run(b, e, 1));
    EXPECT_EQ(words_hex(rd_words(e, kEPrivOut, 12)), lower(v.priv));
    EXPECT_EQ(words_hex(rd_words(e, kEPubX, 12)), lower(v.x));
    EXPECT_EQ(words_hex(rd_words(e, kEPubY, 12)), lower(v.y));

    wr_words(e, kEMsg, hex_words(v.msg));
    wr_words(e, kEPrivIn, hex_words(v.priv));
    ASSERT_TRUE(ecc_run(b, e, 2));
    EXPECT_EQ(words_hex(rd_words(e, kER, 12)), lower(v.r));
    EXPECT_EQ(words_hex(rd_words(e, kES, 12)), lower(v.s));

    ASSERT_TRUE(ecc_run(b, e, 3));  // PUBKEY and SIGN still hold the pair just computed
    EXPECT_EQ(words_hex(rd_words(e, kEVerifyR, 12)), lower(v.r));
  }
}

// RFC 6979 A.2.6, SHA-384, "sample": the engine's signing nonce is RFC 6979's.
TEST(EccEngine, SignMatchesRfc6979) {
  Bench b;
  Ecc e(b.ctx);
  wr_words(e, kEPrivIn, hex_words("6b9d3dad2e1b8c1c05b19875b6659f4de23c3b667bf297ba9aa47740787137d896d5724e4c70a825f872c9ea60d2edf5"));
  wr_words(e, kEMsg, be_words(calemu::crypto::sha384(ascii("sample"))));
  ASSERT_TRUE(ecc_run(b, e, 2));
  EXPECT_EQ(words_hex(rd_words(e, kER, 12)),
            "94edbb92a5ecb8aad4736e56c691916b3f88140666ce9fa73d64c4ea95ad133c81a648152e44acf96e36dd1e80fabe46");
  EXPECT_EQ(words_hex(rd_words(e, kES, 12)),
            "99ef4aeb15f178cea1fe40db2603138f130e740a19624526203b6351d0a3a94fa329c145786e679e7b82c71a38628ac8");
  EXPECT_EQ(rd(e, kEPrivIn), 0u) << "PRIVKEY_IN is write-only";
}

TEST(EccEngine, VerifyOfBadSignatureGivesOtherR) {
  Bench b;
  Ecc e(b.ctx);
  const RtlVector& v = kRtlVectors[2];
  wr_words(e, kEPubX, hex_words(v.x));
  wr_words(e, kEPubY, hex_words(v.y));
  Words msg = hex_words(v.msg);
  msg[11] ^= 1;
  wr_words(e, kEMsg, msg);
  wr_words(e, kER, hex_words(v.r));
  wr_words(e, kES, hex_words(v.s));
  ASSERT_TRUE(ecc_run(b, e, 3));
  EXPECT_NE(words_hex(rd_words(e, kEVerifyR, 12)), lower(v.r));
}

TEST(EccEngine, BadInputsRaiseErrorWithoutValid) {
  Bench b;
  Ecc e(b.ctx);
  wr(e, 0x800, 1);
  wr(e, 0x804, 1);
  wr_words(e, kEPrivIn, Words(12, 0xFFFFFFFF));  // >= q
  EXPECT_FALSE(ecc_run(b, e, 2));
  EXPECT_EQ(rd(e, 0x814), 1u);
  EXPECT_TRUE(b.irq[kIrqEccError]);
  wr(e, 0x814, 1);
  // A public key off the curve.
  wr_words(e, kEPubX, Words(12, 1));
  wr_words(e, kEPubY, Words(12, 2));
  wr_words(e, kER, Words(12, 3));
  wr_words(e, kES, Words(12, 4));
  EXPECT_FALSE(ecc_run(b, e, 3));
  EXPECT_EQ(rd(e, 0x814), 1u);
  // PCR_SIGN with KEYGEN.
  wr(e, 0x814, 1);
  wr(e, kECtrl, 1 | 1 << 3);
  EXPECT_EQ(rd(e, 0x814), 1u);
  EXPECT_EQ(rd(e, kEStatus), 1u);
}

TEST(EccEngine, InputsAreLockedWhileBusy) {
  Bench b;
  Ecc e(b.ctx);
  const RtlVector& v = kRtlVectors[0];
  wr_words(e, kESeed, hex_words(v.seed));
  wr_words(e, kENonce, hex_words(v.nonce));
  wr(e, kECtrl, 1);
  EXPECT_EQ(rd(e, kEStatus), 0u);
  wr_words(e, kEPubX, Words(12, 0));  // swwe = ecc_ready: dropped
  ASSERT_TRUE(b.run_until([&] { return rd(e, kEStatus) & 2; }));
  EXPECT_EQ(words_hex(rd_words(e, kEPubX, 12)), lower(v.x));
}

// Seed from the vault, private key into the vault (never visible), then sign with it from
// the vault: the IDevID flow. The vault-sourced seed and key are cleared afterwards.
TEST(EccEngine, VaultSeedKeygenAndVaultKeySigning) {
  Bench b;
  Ecc e(b.ctx);
  const RtlVector& v = kRtlVectors[1];
  ASSERT_TRUE(b.kv.write(0, hex_words(v.seed), kv_dest(KvClient::EccSeed)));
  wr(e, kEKvRdSeed, kv_read_ctrl(0));
  ASSERT_TRUE(b.run_until([&] { return rd(e, kEKvRdSeedSts) & 2; }));
  wr_words(e, kENonce, hex_words(v.nonce));
  wr(e, kEKvWr, kv_write_ctrl(7, kv_dest(KvClient::EccPrivkey)));
  ASSERT_TRUE(ecc_run(b, e, 1));
  EXPECT_EQ(rd_words(e, kEPrivOut, 12), Words(12, 0));
  EXPECT_EQ(words_hex(rd_words(e, kEPubX, 12)), lower(v.x));
  EXPECT_EQ(rd(e, kEKvWrSts), 3u);

  wr(e, kEKvRdPkey, kv_read_ctrl(7));
  ASSERT_TRUE(b.run_until([&] { return rd(e, kEKvRdPkeySts) & 2; }));
  EXPECT_EQ(rd(e, kEKvRdPkeySts), 3u);
  wr_words(e, kEMsg, hex_words(v.msg));
  ASSERT_TRUE(ecc_run(b, e, 2));
  EXPECT_EQ(words_hex(rd_words(e, kER, 12)), lower(v.r));
  EXPECT_EQ(words_hex(rd_words(e, kES, 12)), lower(v.s));
}

// PCR signing: key from slot 7 regardless of its dest bits, message from gen_pcr_hash.
TEST(EccEngine, PcrSigningUsesSlot7AndPcrDigest) {
  Bench b;
  Ecc e(b.ctx);
  const RtlVector& v = kRtlVectors[2];
  ASSERT_TRUE(b.kv.write(KeyVault::kPcrSigningSlot, hex_words(v.priv), 0));
  const Words digest = hex_words(v.msg);
  e.set_pcr_hash_source([&] {
    Ecc::PcrHash w{};
    std::copy(digest.begin(), digest.end(), w.begin());
    return w;
  });
  ASSERT_TRUE(ecc_run(b, e, 2 | 1 << 3));
  EXPECT_EQ(words_hex(rd_words(e, kER, 12)), lower(v.r));
  EXPECT_EQ(words_hex(rd_words(e, kES, 12)), lower(v.s));
}

namespace {

// NIST SP 800-38A F.2.6 CBC-AES256.Decrypt.
const char* kSp80038aKey = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";
const char* kSp80038aIv = "000102030405060708090a0b0c0d0e0f";
const char* kSp80038aCipher =
    "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461";
const char* kSp80038aPlain =
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52ef";

void load_sp80038a(FakeSecrets& s) {
  const Words key = hex_words(kSp80038aKey), ct = hex_words(kSp80038aCipher);
  std::copy(key.begin(), key.end(), s.obf.begin());
  std::copy(ct.begin(), ct.end(), s.uds.begin());
  std::copy(ct.begin(), ct.begin() + 8, s.fe.begin());
}

}  // namespace

TEST(DoeEngine, UdsAndFieldEntropyDeobfuscateWithSp80038aVector) {
  Bench b;
  Doe d(b.ctx);
  load_sp80038a(b.secrets);
  EXPECT_EQ(rd(d, kDStatus), 1u);
  wr_words(d, kDIv, hex_words(kSp80038aIv));
  wr(d, kDCtrl, 1 | 6 << 2);  // UDS into slot 6
  EXPECT_EQ(rd(d, kDStatus) & 1, 0u);
  ASSERT_TRUE(b.run_until([&] { return rd(d, kDStatus) & 2; }));
  EXPECT_EQ(rd(d, kDStatus), 1u | 2u | 4u);
  EXPECT_EQ(rd(d, kDCtrl) & 3, 0u) << "CMD clears at the end";
  const KeyVault::ReadResult uds = b.kv.read(6, KvClient::HmacKey);
  ASSERT_FALSE(uds.error);
  EXPECT_EQ(words_hex(Words(uds.words.begin(), uds.words.begin() + 12)), kSp80038aPlain);
  EXPECT_EQ(b.kv.ctrl(6) >> KeyVault::kDestValidShift & 0xFF, 0x3u);

  wr_words(d, kDIv, hex_words(kSp80038aIv));  // a fresh IV restarts the chain
  wr(d, kDCtrl, 2 | 8 << 2);
  ASSERT_TRUE(b.run_until([&] { return rd(d, kDStatus) & 2; }));
  EXPECT_EQ(rd(d, kDStatus), 0xFu);
  const KeyVault::ReadResult fe = b.kv.read(8, KvClient::HmacBlock);
  EXPECT_EQ(words_hex(Words(fe.words.begin(), fe.words.begin() + 8)), std::string(kSp80038aPlain).substr(0, 64));
  EXPECT_EQ(b.kv.ctrl(8) >> b.kv.last_dword_shift() & 0xF, 7u);

  // A second UDS flow is locked out: it completes at once and leaves the vault alone.
  wr(d, kDCtrl, 1 | 9 << 2);
  EXPECT_EQ(rd(d, kDStatus) & 2, 2u);
  EXPECT_EQ(b.kv.ctrl(9), 0u);
}

TEST(DoeEngine, CbcChainCarriesOverWithoutNewIv) {
  Bench b;
  Doe d(b.ctx);
  load_sp80038a(b.secrets);
  const Words ct = hex_words(kSp80038aCipher);
  // FE = blocks 3 and 4 of a 4-block CBC stream: decrypting them right after the UDS blocks
  // without rewriting the IV chains from the last UDS block (doe_core_cbc.sv).
  const Words ct4 = hex_words("b2eb05e2c39be9fcda6c19078c6a9d1b");
  std::copy(ct.begin() + 8, ct.begin() + 12, b.secrets.fe.begin());
  std::copy(ct4.begin(), ct4.end(), b.secrets.fe.begin() + 4);
  wr_words(d, kDIv, hex_words(kSp80038aIv));
  wr(d, kDCtrl, 1);
  ASSERT_TRUE(b.run_until([&] { return rd(d, kDStatus) & 2; }));
  wr(d, kDCtrl, 2 | 1 << 2);
  ASSERT_TRUE(b.run_until([&] { return rd(d, kDStatus) & 2; }));
  const KeyVault::ReadResult fe = b.kv.read(1, KvClient::HmacKey);
  // FE block 1 (c3) chains from the last UDS ciphertext (also c3), so it does not give P3;
  // FE block 2 (c4) chains from c3 and gives the stream's fourth plaintext block.
  EXPECT_EQ(words_hex(Words(fe.words.begin() + 4, fe.words.begin() + 8)), "f69f2445df4f9b17ad2b417be66c3710");
}

TEST(DoeEngine, ClearSecretsAndDebugMode) {
  Bench b;
  Doe d(b.ctx);
  load_sp80038a(b.secrets);
  wr(d, kDCtrl, 3);
  EXPECT_EQ(b.secrets.clears, 1);
  EXPECT_EQ(rd(d, kDStatus), 1u | 2u | 0x10u);
  EXPECT_EQ(b.secrets.obf[0], 0u);
  d.reset(calemu::bus::ResetKind::Warm);
  EXPECT_EQ(rd(d, kDStatus), 1u | 0x10u) << "DEOBF_SECRETS_CLEARED survives a warm reset";

  // Debug unlocked: the DOE sees all-ones key and UDS (caliptra_top.sv CLP_DEBUG_MODE_*).
  Bench dbg;
  Doe d2(dbg.ctx);
  dbg.secrets.locked = false;
  wr(d2, kDCtrl, 1 | 2 << 2);
  ASSERT_TRUE(dbg.run_until([&] { return rd(d2, kDStatus) & 2; }));
  const KeyVault::ReadResult r = dbg.kv.read(2, KvClient::HmacKey);
  // Each all-ones block decrypts to the same D(1...1), XORed with IV 0 then with 1...1.
  EXPECT_NE(r.words[0], 0xFFFFFFFFu);
  EXPECT_EQ(r.words[4], ~r.words[0]);
}
