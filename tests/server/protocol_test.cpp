// The frame and payload codecs against the byte layouts of QEMU's clients (RFC v2
// aspeed_caliptra_emu.c, AST1040 aspeed_cptra_mbox_extern.c and its qtest) and the mailbox
// catalog against ../shared/spec/caliptra-fw-mailbox-layouts.md.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/frame.h"
#include "server/mbox_commands.h"
#include "server/messages.h"

using namespace calemu::server;
namespace mb = calemu::server::mbox;

namespace {

std::vector<uint8_t> bytes(std::initializer_list<int> v) {
  std::vector<uint8_t> out;
  for (int x : v) out.push_back(static_cast<uint8_t>(x));
  return out;
}

}  // namespace

TEST(Frame, CptrApbReadIsTheRfcV2ByteLayout) {
  // u32 magic 0x43505452, u16 version 1, u16 command 3, u32 payload_len 4, u32 apb_addr.
  const auto f = encode_frame(Protocol::Cptr, cmd::kApbRead, encode_apb_read({0x3003'0038}));
  EXPECT_EQ(f, bytes({0x52, 0x54, 0x50, 0x43, 1, 0, 3, 0, 4, 0, 0, 0, 0x38, 0x00, 0x03, 0x30}));
  const auto w = encode_frame(Protocol::Cptr, cmd::kApbWrite, encode_apb_write({0x3002'0008, 0x4657'4C44}));
  EXPECT_EQ(w, bytes({0x52, 0x54, 0x50, 0x43, 1, 0, 5, 0, 8, 0, 0, 0, 0x08, 0x00, 0x02, 0x30, 0x44, 0x4C, 0x57, 0x46}));
  // Replies: APB_RDATA {u32 data}, APB_WACK empty.
  EXPECT_EQ(encode_frame(Protocol::Cptr, cmd::kApbWack, {}), bytes({0x52, 0x54, 0x50, 0x43, 1, 0, 6, 0, 0, 0, 0, 0}));
}

TEST(Frame, MboxExecuteIsTheAst1040ByteLayout) {
  // The qtest's MFWV request: cmd 0x4d465756, dlen 8, SRAM word 0 = checksum 0xfffffec0.
  const auto sram = bytes({0xC0, 0xFE, 0xFF, 0xFF, 0, 0, 0, 0});
  const auto f = encode_frame(Protocol::Mbox, cmd::kMboxExecute, encode_mbox_execute(0x4D46'5756, sram));
  EXPECT_EQ(f, bytes({0x58, 0x4F, 0x42, 0x4D, 1, 0, 1, 0, 16, 0, 0, 0, 0x56, 0x57, 0x46, 0x4D, 8, 0, 0, 0, 0xC0, 0xFE,
                      0xFF, 0xFF, 0, 0, 0, 0}));
  // The request checksum of that command (mbox_send.py / api checksum.rs formula).
  EXPECT_EQ(mb::checksum(0x4D46'5756, bytes({0, 0, 0, 0})), 0xFFFF'FEC0u);
  // A response pads its data to a word: status, dlen, then ROUND_UP(dlen, 4) bytes.
  const auto r = encode_mbox_response(kMboxDataReady, bytes({1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(r, bytes({1, 0, 0, 0, 6, 0, 0, 0, 1, 2, 3, 4, 5, 6, 0, 0}));
}

TEST(Frame, ChecksumVectors) {
  // caliptra-fw-protocol.md §3.3 test vector.
  EXPECT_EQ(mb::checksum(0xE8DC'3994, bytes({0x83, 0xE7, 0x25})), 0xFFFF'FBE0u);
  // The AST1040 qtest's response: checksum 0xfffff911 over the bytes after it (cmd id 0).
  std::vector<uint8_t> resp = bytes({0, 0, 0, 0, 0x14, 0, 0, 0});
  for (char c : std::string("Caliptra_Core_v2.0.0")) resp.push_back(static_cast<uint8_t>(c));
  EXPECT_EQ(mb::checksum(0, resp), 0xFFFF'F911u);
}

TEST(FrameReader, ReassemblesFramesSplitAnywhere) {
  std::vector<uint8_t> stream;
  for (uint32_t i = 0; i < 3; ++i) {
    const auto f = encode_frame(Protocol::Cptr, cmd::kApbWrite, encode_apb_write({0x3003'0000 + 4 * i, i}));
    stream.insert(stream.end(), f.begin(), f.end());
  }
  FrameReader r(Protocol::Cptr, kCptrMaxPayload);
  std::vector<Frame> got;
  for (uint8_t b : stream) {  // one byte at a time
    r.feed(std::span<const uint8_t>(&b, 1));
    Frame f;
    while (r.next(f) == FrameReader::Result::Frame) got.push_back(f);
  }
  ASSERT_EQ(got.size(), 3u);
  ApbWrite w;
  std::string why;
  ASSERT_TRUE(decode_apb_write(got[2].payload, w, why));
  EXPECT_EQ(w.addr, 0x3003'0008u);
  EXPECT_EQ(w.data, 2u);
  EXPECT_EQ(r.buffered(), 0u);
}

TEST(FrameReader, RejectsBadHeadersBeforeAnyPayload) {
  struct Case {
    std::vector<uint8_t> header;
    ErrorCode code;
  };
  std::vector<uint8_t> bad_magic, bad_version, oversize;
  append_header(bad_magic, Header{kMboxMagic, 1, cmd::kApbRead, 4});
  append_header(bad_version, Header{kCptrMagic, 2, cmd::kApbRead, 4});
  append_header(oversize, Header{kCptrMagic, 1, cmd::kApbRead, 0xFFFF'FFFF});
  for (const Case& c : {Case{bad_magic, ErrorCode::BadMagic}, Case{bad_version, ErrorCode::BadVersion},
                        Case{oversize, ErrorCode::Oversize}}) {
    FrameReader r(Protocol::Cptr, kCptrMaxPayload);
    r.feed(c.header);
    Frame f;
    EXPECT_EQ(r.next(f), FrameReader::Result::Error);
    EXPECT_EQ(r.error(), c.code);
    EXPECT_TRUE(is_framing_error(r.error()));
    // The stream stays unusable.
    r.feed(encode_frame(Protocol::Cptr, cmd::kApbRead, encode_apb_read({0})));
    EXPECT_EQ(r.next(f), FrameReader::Result::Error);
  }
  // The MBOX limit is QEMU's frontend SRAM (2 MiB) plus {cmd, dlen}.
  FrameReader m(Protocol::Mbox, kMboxMaxPayload);
  std::vector<uint8_t> big;
  append_header(big, Header{kMboxMagic, 1, cmd::kMboxExecute, 8 + 2 * 1024 * 1024 + 1});
  m.feed(big);
  Frame f;
  EXPECT_EQ(m.next(f), FrameReader::Result::Error);
  EXPECT_EQ(m.error(), ErrorCode::Oversize);
}

TEST(Messages, ApbPayloadsMustHaveTheirExactSize) {
  ApbRead r;
  ApbWrite w;
  std::string why;
  EXPECT_FALSE(decode_apb_read(bytes({1, 2, 3}), r, why));
  EXPECT_FALSE(decode_apb_read(bytes({1, 2, 3, 4, 5}), r, why));
  EXPECT_TRUE(decode_apb_read(bytes({1, 2, 3, 4}), r, why));
  EXPECT_EQ(r.addr, 0x0403'0201u);
  EXPECT_FALSE(decode_apb_write(bytes({1, 2, 3, 4}), w, why));
  EXPECT_FALSE(why.empty());
}

TEST(Messages, MboxExecuteTakesPaddedOrExactData) {
  MboxExecute x;
  std::string why;
  // QEMU pads to a word; dlen 6 with 8 data bytes.
  EXPECT_TRUE(decode_mbox_execute(encode_mbox_execute(7, bytes({1, 2, 3, 4, 5, 6})), x, why));
  EXPECT_EQ(x.dlen, 6u);
  EXPECT_EQ(x.data, bytes({1, 2, 3, 4, 5, 6}));
  // Exact length is accepted too; short or over-long data is not.
  EXPECT_TRUE(decode_mbox_execute(bytes({7, 0, 0, 0, 3, 0, 0, 0, 9, 9, 9}), x, why));
  EXPECT_FALSE(decode_mbox_execute(bytes({7, 0, 0, 0, 8, 0, 0, 0, 9, 9, 9, 9}), x, why));
  EXPECT_FALSE(decode_mbox_execute(bytes({7, 0, 0, 0, 1, 0, 0, 0, 9, 9, 9, 9, 9}), x, why));
  EXPECT_FALSE(decode_mbox_execute(bytes({7, 0, 0, 0}), x, why));
  // dlen beyond any mailbox (with a payload that would match it) is refused.
  EXPECT_FALSE(decode_mbox_execute(bytes({7, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF}), x, why));
}

TEST(Messages, ExtensionRoundTrips) {
  HelloAck a;
  a.features = kFeatureEvents | kFeatureErrors;
  a.hw_generation = 0x10;
  a.axi_user = 7;
  a.state = StateInfo{BootState::ReadyForFw, 0x46, 1u << 28, 0, 0, 123456789012ull};
  a.server = "calemu test";
  HelloAck b;
  std::string why;
  ASSERT_TRUE(decode_hello_ack(encode_hello_ack(a), b, why)) << why;
  EXPECT_EQ(b.state, a.state);
  EXPECT_EQ(b.server, "calemu test");
  EXPECT_EQ(b.axi_user, 7u);

  Hello h;
  h.features = kFeatureEvents;
  h.axi_user = 0x42;
  Hello h2;
  ASSERT_TRUE(decode_hello(encode_hello(h), h2, why));
  EXPECT_EQ(h2.features, kFeatureEvents | kFeatureAxiUser);
  EXPECT_EQ(h2.axi_user, 0x42u);
  // AXI_USER without the user word is short.
  EXPECT_FALSE(decode_hello(bytes({1, 0, 0, 0, 4, 0, 0, 0}), h2, why));

  ErrorReply e{cmd::kApbRead, ErrorCode::Unaligned, "no"}, e2;
  ASSERT_TRUE(decode_error(encode_error(e), e2, why));
  EXPECT_EQ(e2.command, cmd::kApbRead);
  EXPECT_EQ(e2.code, ErrorCode::Unaligned);
  EXPECT_EQ(e2.message, "no");
  // ERROR layout: u16 command, u16 0, u32 code, message.
  EXPECT_EQ(encode_error(e), bytes({3, 0, 0, 0, 8, 0, 0, 0, 'n', 'o'}));
}

// ---- the mailbox catalog against the spec's struct sizes -------------------------------

namespace {

// Request size with every variable field at its maximum (the Rust struct size).
size_t full_request_size(const mb::Command& c) {
  size_t n = c.checksum ? 4 : 0;
  for (const auto& f : c.request) n += f.kind == mb::Kind::Rest ? 0 : f.size;
  return n;
}

size_t full_response_size(const mb::Command& c) {
  size_t n = 8;
  for (const auto& f : c.response) n += f.kind == mb::Kind::Rest ? 0 : f.size;
  return n;
}

}  // namespace

TEST(MboxCatalog, RequestSizesMatchTheSpecLayouts) {
  struct Want {
    const char* name;
    mb::Gen gen;
    size_t req, resp;
  };
  // caliptra-fw-mailbox-layouts.md, Parts A-D (struct sizes).
  for (const Want& w : {Want{"GET_IDEV_CERT", mb::Gen::V1, 1020, 1036}, Want{"ECDSA384_VERIFY", mb::Gen::V1, 196, 8},
                        Want{"LMS_VERIFY", mb::Gen::V1, 1672, 8}, Want{"STASH_MEASUREMENT", mb::Gen::V1, 108, 12},
                        Want{"INVOKE_DPE", mb::Gen::V1, 520, 6568}, Want{"QUOTE_PCRS", mb::Gen::V1, 36, 1848},
                        Want{"FW_INFO", mb::Gen::V1, 4, 312}, Want{"VERSION", mb::Gen::V1, 4, 36},
                        Want{"CAPABILITIES", mb::Gen::V1, 4, 24}, Want{"GET_IDEV_CSR", mb::Gen::V1, 4, 524},
                        Want{"GET_FMC_ALIAS_CSR", mb::Gen::V1, 4, 780}, Want{"AUTHORIZE_AND_STASH", mb::Gen::V1, 116, 12},
                        Want{"SET_AUTH_MANIFEST", mb::Gen::V1, 14344, 8}, Want{"GET_IDEV_INFO", mb::Gen::V1, 4, 104},
                        Want{"DPE_GET_TAGGED_TCI", mb::Gen::V1, 8, 104}, Want{"GET_PCR_LOG", mb::Gen::V1, 4, 964},
                        Want{"REALLOCATE_DPE_CONTEXT_LIMITS", mb::Gen::V1, 8, 16},
                        Want{"SIGN_WITH_EXPORTED_ECDSA", mb::Gen::V1, 84, 200},
                        Want{"ADD_SUBJECT_ALT_NAME", mb::Gen::V1, 136, 8}, Want{"DPE_TAG_TCI", mb::Gen::V1, 24, 8},
                        Want{"ECDSA384_SIGNATURE_VERIFY", mb::Gen::V2, 244, 8},
                        Want{"LMS_SIGNATURE_VERIFY", mb::Gen::V2, 1720, 8},
                        Want{"MLDSA87_SIGNATURE_VERIFY", mb::Gen::V2, 11324, 8},
                        Want{"FW_INFO", mb::Gen::V2, 4, 392}, Want{"GET_IDEV_ECC384_CERT", mb::Gen::V2, 1020, 9228},
                        Want{"QUOTE_PCRS_ECC384", mb::Gen::V2, 36, 1848},
                        Want{"AUTHORIZE_AND_STASH", mb::Gen::V2, 120, 12}, Want{"GET_IMAGE_INFO", mb::Gen::V2, 8, 80},
                        Want{"DPE_GET_TAGGED_TCI", mb::Gen::V2, 8, 108},
                        Want{"CERTIFY_KEY_EXTENDED_ECC384", mb::Gen::V2, 80, 25164},
                        Want{"INVOKE_DPE_ECC384", mb::Gen::V2, 520, 25180},
                        Want{"GET_ATTESTED_ECC384_CSR", mb::Gen::V2, 40, 12812},
                        Want{"CM_RANDOM_GENERATE", mb::Gen::V2, 8, 4108}, Want{"GET_MCU_FW_SIZE", mb::Gen::V2, 4, 60},
                        Want{"GET_IDEV_MLDSA87_INFO", mb::Gen::V2, 4, 2600}}) {
    const mb::Command* c = mb::find(w.name, w.gen);
    ASSERT_NE(c, nullptr) << w.name;
    EXPECT_EQ(full_request_size(*c), w.req) << w.name << " " << mb::to_string(w.gen);
    EXPECT_EQ(full_response_size(*c), w.resp) << w.name << " " << mb::to_string(w.gen);
  }
}

TEST(MboxCatalog, NamesAndAliasesFollowTheGeneration) {
  // ECDSA384_VERIFY is "SIGV" (hash from the SHA accelerator) in 1.2 and "ECV2" in 2.x.
  EXPECT_EQ(mb::find("ECDSA384_VERIFY", mb::Gen::V1)->code, 0x5349'4756u);
  EXPECT_EQ(mb::find("ecdsa384_verify", mb::Gen::V2)->code, 0x4543'5632u);
  EXPECT_EQ(mb::find("GET_IDEV_CERT", mb::Gen::V2)->name, "GET_IDEV_ECC384_CERT");
  EXPECT_EQ(mb::find("FW_INFO", mb::Gen::V1)->code, 0x494E'464Fu);
  EXPECT_EQ(mb::find(0x4D45'4153u, mb::Gen::V1)->name, "STASH_MEASUREMENT");
  EXPECT_EQ(mb::find("MLDSA87_SIGNATURE_VERIFY", mb::Gen::V1), nullptr);
  EXPECT_FALSE(mb::find("FIRMWARE_LOAD", mb::Gen::V1)->checksum);
}

TEST(MboxCatalog, BuildsRequestsWithChecksumAndTruncatedVariableFields) {
  const mb::Command& stash = *mb::find("STASH_MEASUREMENT", mb::Gen::V1);
  const std::string m48(96, 'a');
  const auto req = mb::build_request(stash, {"measurement=" + m48, "svn=0x10", "metadata=01020304"});
  ASSERT_EQ(req.size(), 108u);
  EXPECT_EQ(req[4], 1);                // metadata at +4
  EXPECT_EQ(req[8], 0xAA);             // measurement at +8
  EXPECT_EQ(req[56], 0);               // context at +56 (zero)
  EXPECT_EQ(req[104], 0x10);           // svn at +104
  EXPECT_EQ(load_le32(req.data()), mb::checksum(stash.code, std::span<const uint8_t>(req).subspan(4)));

  // GET_IDEV_CERT: tbs_size at +4 counts the TBS, which is sent truncated at +104.
  const auto idev = mb::build_request(*mb::find("GET_IDEV_CERT", mb::Gen::V1), {"tbs=0102030405"});
  ASSERT_EQ(idev.size(), 104u + 5);
  EXPECT_EQ(load_le32(idev.data() + 4), 5u);
  EXPECT_EQ(idev[104], 1);

  EXPECT_THROW(mb::build_request(stash, {"measurement=00"}), std::invalid_argument);   // wrong size
  EXPECT_THROW(mb::build_request(stash, {"bogus=1"}), std::invalid_argument);          // no such field
  EXPECT_THROW(mb::build_request(stash, {"svn=0x1FFFFFFFF"}), std::invalid_argument);  // not 32-bit
  EXPECT_THROW(mb::build_request(stash, {"svn"}), std::invalid_argument);
}

TEST(MboxCatalog, DecodesResponsesAndReportsProblems) {
  const mb::Command& version = *mb::find("VERSION", mb::Gen::V1);
  std::vector<uint8_t> r(36, 0);
  r[8] = 0x53, r[9] = 0x50, r[10] = 0x49, r[11] = 0x46;  // mode "FIPS"
  const std::string name = "Caliptra RTM";
  std::copy(name.begin(), name.end(), r.begin() + 24);
  const uint32_t sum = mb::checksum(0, std::span<const uint8_t>(r).subspan(4));
  for (int i = 0; i < 4; ++i) r[i] = static_cast<uint8_t>(sum >> (8 * i));
  mb::Decoded d = mb::decode_response(&version, r);
  EXPECT_TRUE(d.checksum_ok);
  EXPECT_TRUE(d.problems.empty());
  const nlohmann::json j = mb::to_json(d);
  EXPECT_EQ(j["fields"]["mode"], 0x4649'5053u);
  EXPECT_EQ(j["fields"]["name"], "Caliptra RTM");

  r[30] ^= 1;  // checksum now wrong
  d = mb::decode_response(&version, r);
  EXPECT_FALSE(d.checksum_ok);
  EXPECT_FALSE(d.problems.empty());

  // A variable-size field whose size overruns the response is reported, not read beyond.
  const mb::Command& ldev = *mb::find("GET_LDEV_CERT", mb::Gen::V1);
  std::vector<uint8_t> short_resp = {0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0x10, 0, 0, 1, 2, 3};
  d = mb::decode_response(&ldev, short_resp);
  EXPECT_FALSE(d.problems.empty());
  EXPECT_FALSE(mb::to_text(d).empty());
  d = mb::decode_response(&ldev, std::vector<uint8_t>{1, 2});
  EXPECT_FALSE(d.problems.empty());
}

TEST(MboxCatalog, ParsesHex) {
  EXPECT_EQ(*mb::parse_hex("0x01:ab CD"), bytes({0x01, 0xAB, 0xCD}));
  EXPECT_FALSE(mb::parse_hex("abc").has_value());
  EXPECT_FALSE(mb::parse_hex("zz").has_value());
}
