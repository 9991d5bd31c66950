// LMS (RFC 8554 / SP 800-208) against RFC 8554 Appendix F, Caliptra's generated vectors and
// Caliptra's published test keys.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/lms.h"
#include "crypto/sha.h"
#include "test_util.h"

using namespace calemu::crypto;
using namespace calemu::crypto::test;
namespace lms = calemu::crypto::lms;

namespace {

uint32_t be32(ByteView b, size_t off) {
  return uint32_t{b[off]} << 24 | uint32_t{b[off + 1]} << 16 | uint32_t{b[off + 2]} << 8 | b[off + 3];
}

// An HSS signature with L = 2 (RFC 8554 §6.2) taken apart into its two LMS signatures.
struct TwoLevelHss {
  Bytes root_pub, sig_over_child, child_pub, sig_over_message, message;
};

TwoLevelHss split_hss(const nlohmann::json& tc) {
  TwoLevelHss h;
  const Bytes hss_pub = hex(tc["hss_public_key"]), hss_sig = hex(tc["hss_signature"]);
  EXPECT_EQ(be32(hss_pub, 0), 2u);  // L
  EXPECT_EQ(be32(hss_sig, 0), 1u);  // Nspk
  h.root_pub.assign(hss_pub.begin() + 4, hss_pub.end());
  const size_t sig0_len = *lms::signature_size(be32(h.root_pub, 0), be32(h.root_pub, 4));
  auto at = hss_sig.begin() + 4;
  h.sig_over_child.assign(at, at + static_cast<long>(sig0_len));
  at += static_cast<long>(sig0_len);
  const size_t pub1_len = *lms::public_key_size(be32(hss_sig, 4 + sig0_len), be32(hss_sig, 8 + sig0_len));
  h.child_pub.assign(at, at + static_cast<long>(pub1_len));
  at += static_cast<long>(pub1_len);
  h.sig_over_message.assign(at, hss_sig.end());
  h.message = hex(tc["message"]);
  return h;
}

nlohmann::json load_json(const std::string& name) { return nlohmann::json::parse(read_text(data_path(name))); }

lms::PrivateKey key_from(const nlohmann::json& k) {
  return {static_cast<lms::LmsType>(k["lms_type"].get<uint32_t>()), static_cast<lms::OtsType>(k["ots_type"].get<uint32_t>()),
          hex(k["I"]), hex(k["SEED"])};
}

// The randomizer C of an LMS signature: after u32str(q) and u32str(otstype).
Bytes randomizer_of(const Bytes& sig, size_t n) { return Bytes(sig.begin() + 8, sig.begin() + 8 + static_cast<long>(n)); }

}  // namespace

TEST(Lms, Rfc8554AppendixFSignaturesVerify) {
  const auto doc = load_json("lms_rfc8554.json");
  for (const auto& tc : doc["cases"]) {
    const TwoLevelHss h = split_hss(tc);
    EXPECT_TRUE(lms::verify(h.root_pub, h.child_pub, h.sig_over_child)) << tc["case"];
    EXPECT_TRUE(lms::verify(h.child_pub, h.message, h.sig_over_message)) << tc["case"];
    // Crossing the two levels fails.
    EXPECT_FALSE(lms::verify(h.root_pub, h.message, h.sig_over_message)) << tc["case"];
  }
}

// Test Case 2 prints both levels' private keys: our Appendix A key generation and our signer
// reproduce the RFC's public keys and both signatures byte for byte (given the RFC's C).
TEST(Lms, Rfc8554TestCase2KeyGenerationAndSigningReproduceTheRfc) {
  const auto tc = load_json("lms_rfc8554.json")["cases"][1];
  const TwoLevelHss h = split_hss(tc);
  const lms::Signer root(key_from(tc["private_keys"][0]));
  const lms::Signer child(key_from(tc["private_keys"][1]));
  EXPECT_EQ(to_hex(root.public_key()), to_hex(h.root_pub));
  EXPECT_EQ(to_hex(child.public_key()), to_hex(h.child_pub));
  EXPECT_EQ(to_hex(root.sign(be32(h.sig_over_child, 0), h.child_pub, randomizer_of(h.sig_over_child, 32))),
            to_hex(h.sig_over_child));
  EXPECT_EQ(to_hex(child.sign(be32(h.sig_over_message, 0), h.message, randomizer_of(h.sig_over_message, 32))),
            to_hex(h.sig_over_message));
  EXPECT_EQ(lms::public_key(child.key()), h.child_pub);  // the free function agrees
}

TEST(Lms, RejectsEveryKindOfDamage) {
  const TwoLevelHss h = split_hss(load_json("lms_rfc8554.json")["cases"][0]);
  const Bytes& pub = h.child_pub;
  const Bytes& sig = h.sig_over_message;
  ASSERT_TRUE(lms::verify(pub, h.message, sig));
  const size_t n = 32, path_start = sig.size() - 5 * n;
  for (size_t off : {size_t{3}, size_t{8}, size_t{8 + n}, sig.size() / 2, path_start, sig.size() - 1}) {
    Bytes bad = sig;
    bad[off] ^= 0x01;
    EXPECT_FALSE(lms::verify(pub, h.message, bad)) << "flipped byte " << off;
  }
  Bytes wrong_ots = sig;
  wrong_ots[7] = 3;  // LMOTS_SHA256_N32_W4 instead of W8
  EXPECT_FALSE(lms::verify(pub, h.message, wrong_ots));
  Bytes q_too_large = sig;
  q_too_large[2] = 1;  // q = 0x104 >= 2^5
  EXPECT_FALSE(lms::verify(pub, h.message, q_too_large));
  EXPECT_FALSE(lms::verify(pub, h.message, ByteView(sig).first(sig.size() - 1)));
  Bytes longer = sig;
  longer.push_back(0);
  EXPECT_FALSE(lms::verify(pub, h.message, longer));
  EXPECT_FALSE(lms::verify(pub, {}, sig));
  Bytes other_message = h.message;
  other_message.back() ^= 1;
  EXPECT_FALSE(lms::verify(pub, other_message, sig));
  // A malformed public key is an encoding error, not a failed signature.
  EXPECT_THROW(lms::verify(ByteView(pub).first(pub.size() - 1), h.message, sig), CryptoError);
  Bytes unknown_type = pub;
  unknown_type[3] = 99;
  EXPECT_THROW(lms::verify(unknown_type, h.message, sig), CryptoError);
  Bytes mismatched = pub;
  mismatched[7] = 7;  // an n = 24 OTS under an m = 32 tree
  EXPECT_THROW(lms::verify(mismatched, h.message, sig), CryptoError);
}

// Vectors from Caliptra's generator: all eight LM-OTS types, n = 24 and n = 32, H5-H20.
TEST(Lms, CaliptraGeneratedVectorsVerify) {
  const auto doc = load_json("lms_caliptra_sw.json");
  ASSERT_EQ(doc["cases"].size(), 8u);
  for (const auto& tc : doc["cases"]) {
    const Bytes pub = hex(tc["public_key"]), msg = hex(tc["message"]), sig = hex(tc["signature"]);
    EXPECT_EQ(lms::verify(pub, msg, sig), tc["valid"].get<bool>()) << tc["name"];
    Bytes bad = sig;
    bad[sig.size() / 3] ^= 0x40;
    EXPECT_FALSE(lms::verify(pub, msg, bad)) << tc["name"];
  }
}

// Caliptra's published test keys: LMS_SHA256_M24_H15 / LMOTS_SHA256_N24_W4, generated
// sparsely (only leaf 5 real). Reproducing their public keys from the private key files
// proves the n = 24 key generation; signing leaf 5 gives signatures those keys accept.
TEST(Lms, CaliptraFakeKeysReproduceTheirPublicKeysAndSign) {
  const Bytes digest = sha384(ascii("firmware manifest header"));
  for (const char* name : {"vendor_lms_0", "vendor_lms_1", "vendor_lms_2", "vendor_lms_3", "owner_lms"}) {
    const lms::PrivateKey key = lms::load_private_pem(shared_key_path(std::string(name) + "_key.pem"));
    const Bytes pub = lms::load_public_pem(shared_key_path(std::string(name) + "_pub.pem"));
    EXPECT_EQ(key.type, lms::LmsType::Sha256_M24_H15);
    EXPECT_EQ(key.ots, lms::OtsType::Sha256_N24_W4);
    const lms::Signer signer(key, lms::TreeGeneration::CaliptraSparse);
    ASSERT_EQ(to_hex(signer.public_key()), to_hex(pub)) << name;
    const Bytes sig = signer.sign(lms::kCaliptraSparseLeaf, digest);
    EXPECT_EQ(sig.size(), 1620u);  // Caliptra's LMS signature field
    EXPECT_TRUE(lms::verify(pub, digest, sig)) << name;
    EXPECT_THROW(signer.sign(6, digest), CryptoError) << name;
  }
  EXPECT_THROW(lms::load_public_pem(shared_key_path("vendor_ecc_0_pub.pem")), CryptoError);
}

TEST(Lms, SignVerifyRoundTripForEveryOtsType) {
  const Bytes msg = ascii("round trip");
  const std::pair<lms::LmsType, lms::OtsType> sets[] = {
      {lms::LmsType::Sha256_M32_H5, lms::OtsType::Sha256_N32_W1}, {lms::LmsType::Sha256_M32_H5, lms::OtsType::Sha256_N32_W2},
      {lms::LmsType::Sha256_M32_H5, lms::OtsType::Sha256_N32_W4}, {lms::LmsType::Sha256_M32_H5, lms::OtsType::Sha256_N32_W8},
      {lms::LmsType::Sha256_M24_H5, lms::OtsType::Sha256_N24_W1}, {lms::LmsType::Sha256_M24_H5, lms::OtsType::Sha256_N24_W2},
      {lms::LmsType::Sha256_M24_H5, lms::OtsType::Sha256_N24_W4}, {lms::LmsType::Sha256_M24_H5, lms::OtsType::Sha256_N24_W8},
  };
  for (const auto& [type, ots] : sets) {
    const size_t n = static_cast<uint32_t>(type) >= 10 ? 24 : 32;
    const lms::Signer signer({type, ots, Bytes(16, 0x11), Bytes(n, 0x22)});
    const Bytes pub = signer.public_key();
    for (uint32_t q : {0u, 17u, 31u}) {
      const Bytes sig = signer.sign(q, msg);
      EXPECT_EQ(sig.size(), *lms::signature_size(static_cast<uint32_t>(type), static_cast<uint32_t>(ots)));
      EXPECT_TRUE(lms::verify(pub, msg, sig)) << static_cast<int>(ots) << " q=" << q;
      EXPECT_EQ(sig, signer.sign(q, msg)) << "the derived randomizer is deterministic";
    }
    EXPECT_NE(randomizer_of(signer.sign(0, msg), n), randomizer_of(signer.sign(0, ascii("other")), n));
    EXPECT_THROW(signer.sign(32, msg), CryptoError);
    EXPECT_THROW(signer.sign(0, msg, Bytes(n + 1)), CryptoError);
  }
  EXPECT_THROW(lms::Signer({lms::LmsType::Sha256_M24_H5, lms::OtsType::Sha256_N32_W4, Bytes(16), Bytes(32)}), CryptoError);
  EXPECT_THROW(lms::Signer({lms::LmsType::Sha256_M24_H5, lms::OtsType::Sha256_N24_W4, Bytes(15), Bytes(24)}), CryptoError);
}
