// ML-DSA-87 (FIPS 204) against NIST ACVP vectors, vectors made with @noble/post-quantum, and
// Caliptra's published ML-DSA test keys.
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "crypto/keccak.h"
#include "crypto/mldsa87.h"
#include "crypto/sha.h"
#include "test_util.h"

using namespace calemu::crypto;
using namespace calemu::crypto::test;

namespace {

nlohmann::json load_json(const std::string& name) { return nlohmann::json::parse(read_text(data_path(name))); }

// The ACVP revision used here exercises Sign_internal / Verify_internal on M' directly:
// mu = SHAKE256(tr || M', 64), tr = SHAKE256(pk, 64) (FIPS 204 Algorithm 7 line 6).
Bytes internal_mu(ByteView tr, ByteView message_prime) {
  Bytes input(tr.begin(), tr.end());
  input.insert(input.end(), message_prime.begin(), message_prime.end());
  return shake256(input, 64);
}

// The last `size` bytes of a PEM file's DER body.
Bytes pem_tail(const std::string& path, size_t size) {
  std::string text = read_text(path), b64;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("-----", 0) != 0) b64 += line;
  Bytes der((b64.size() / 4) * 3);
  const int n = EVP_DecodeBlock(der.data(), reinterpret_cast<const uint8_t*>(b64.data()), static_cast<int>(b64.size()));
  der.resize(static_cast<size_t>(n) - std::count(b64.end() - 2, b64.end(), '='));
  return Bytes(der.end() - static_cast<long>(size), der.end());
}

const Bytes kZeroRnd(32, 0);

}  // namespace

TEST(MlDsa87, AcvpKeyGen) {
  const auto doc = load_json("mldsa87_acvp.json");
  ASSERT_EQ(doc["keyGen"].size(), 3u);
  for (const auto& tc : doc["keyGen"]) {
    const mldsa87::KeyPair kp = mldsa87::keygen(hex(tc["seed"]));
    EXPECT_EQ(to_hex(kp.pk), to_hex(hex(tc["pk"]))) << "tcId " << tc["tcId"];
    EXPECT_EQ(to_hex(kp.sk), to_hex(hex(tc["sk"]))) << "tcId " << tc["tcId"];
  }
}

TEST(MlDsa87, AcvpSigGenDeterministicAndHedged) {
  int deterministic = 0, hedged = 0;
  const auto doc = load_json("mldsa87_acvp.json");
  for (const auto& tc : doc["sigGen"]) {
    const Bytes sk = hex(tc["sk"]);
    const Bytes rnd = tc.contains("rnd") ? hex(tc["rnd"]) : kZeroRnd;
    const Bytes mu = internal_mu(ByteView(sk).subspan(64, 64), hex(tc["message"]));
    EXPECT_EQ(to_hex(mldsa87::sign_mu(sk, mu, rnd)), to_hex(hex(tc["signature"]))) << "tcId " << tc["tcId"];
    (tc["deterministic"].get<bool>() ? deterministic : hedged)++;
  }
  EXPECT_EQ(deterministic, 3);
  EXPECT_EQ(hedged, 3);
}

TEST(MlDsa87, AcvpSigVerIncludingRejections) {
  int rejected = 0;
  const auto doc = load_json("mldsa87_acvp.json");
  for (const auto& tc : doc["sigVer"]) {
    const Bytes pk = hex(tc["pk"]);
    const Bytes mu = internal_mu(shake256(pk, 64), hex(tc["message"]));
    EXPECT_EQ(mldsa87::verify_mu(pk, mu, hex(tc["signature"])), tc["testPassed"].get<bool>())
        << "tcId " << tc["tcId"] << " (" << tc["reason"] << ")";
    rejected += !tc["testPassed"].get<bool>();
  }
  EXPECT_GE(rejected, 4);  // modified message, modified signature, z too large, too many hints
}

// The external interface (context strings, M' formatting) and external mu, against noble.
TEST(MlDsa87, NobleKeysAndPureSignatures) {
  const auto doc = load_json("mldsa87_noble.json");
  std::vector<mldsa87::KeyPair> keys;
  for (const auto& k : doc["keys"]) {
    keys.push_back(mldsa87::keygen(hex(k["seed"])));
    EXPECT_EQ(keys.back().pk, hex(k["pk"]));
    EXPECT_EQ(keys.back().sk, hex(k["sk"]));
  }
  for (const auto& tc : doc["sign"]) {
    const auto& kp = keys.at(tc["key"].get<size_t>());
    const Bytes msg = hex(tc["message"]), ctx = hex(tc["context"]), sig = hex(tc["signature"]);
    EXPECT_EQ(to_hex(mldsa87::sign(kp.sk, msg, ctx, hex(tc["rnd"]))), to_hex(sig));
    EXPECT_TRUE(mldsa87::verify(kp.pk, msg, ctx, sig));
    Bytes other_ctx = ctx;
    other_ctx.push_back(0);
    EXPECT_FALSE(mldsa87::verify(kp.pk, msg, other_ctx, sig));
    EXPECT_TRUE(mldsa87::verify_mu(kp.pk, mldsa87::compute_mu(kp.pk, msg, ctx), sig));
  }
  for (const auto& tc : doc["sign_mu"]) {
    const auto& kp = keys.at(tc["key"].get<size_t>());
    const Bytes mu = hex(tc["mu"]), sig = hex(tc["signature"]);
    EXPECT_EQ(to_hex(mldsa87::sign_mu(kp.sk, mu, hex(tc["rnd"]))), to_hex(sig));
    EXPECT_TRUE(mldsa87::verify_mu(kp.pk, mu, sig));
  }
}

TEST(MlDsa87, RejectsDamageAndBadArguments) {
  const auto doc = load_json("mldsa87_noble.json");
  const Bytes pk = hex(doc["keys"][0]["pk"]), sk = hex(doc["keys"][0]["sk"]);
  const auto& tc = doc["sign"][1];
  const Bytes msg = hex(tc["message"]), ctx = hex(tc["context"]), sig = hex(tc["signature"]);
  ASSERT_TRUE(mldsa87::verify(pk, msg, ctx, sig));
  for (size_t off : {size_t{0}, size_t{63}, size_t{64}, size_t{2000}, mldsa87::kSignatureBytes - 84,
                     mldsa87::kSignatureBytes - 1}) {
    Bytes bad = sig;
    bad[off] ^= 0x01;
    EXPECT_FALSE(mldsa87::verify(pk, msg, ctx, bad)) << "flipped byte " << off;
  }
  EXPECT_FALSE(mldsa87::verify(pk, msg, ctx, ByteView(sig).first(sig.size() - 1)));
  Bytes other_msg = msg;
  other_msg[0] ^= 0x80;
  EXPECT_FALSE(mldsa87::verify(pk, other_msg, ctx, sig));
  EXPECT_FALSE(mldsa87::verify(pk, msg, Bytes(256, 0), sig));  // context too long
  EXPECT_THROW(mldsa87::sign(sk, msg, Bytes(256, 0), kZeroRnd), CryptoError);
  EXPECT_THROW(mldsa87::sign(sk, msg, ctx, Bytes(31, 0)), CryptoError);
  EXPECT_THROW(mldsa87::sign(ByteView(sk).first(100), msg, ctx, kZeroRnd), CryptoError);
  EXPECT_THROW(mldsa87::verify(ByteView(pk).first(100), msg, ctx, sig), CryptoError);
  EXPECT_THROW(mldsa87::keygen(Bytes(31, 0)), CryptoError);
}

// Caliptra's fake vendor ML-DSA keys were generated by another implementation; a signature
// of ours under their secret key verifies under their public key, and sk embeds tr = H(pk).
TEST(MlDsa87, CaliptraFakeKeysSignAndVerify) {
  const Bytes header(120, 0x5a);  // ML-DSA image signatures sign the raw header bytes
  for (const char* name : {"vendor_mldsa_0", "owner_mldsa"}) {
    const Bytes pk = pem_tail(shared_key_path(std::string(name) + "_pub.pem"), mldsa87::kPublicKeyBytes);
    const Bytes sk = pem_tail(shared_key_path(std::string(name) + "_key.pem"), mldsa87::kSecretKeyBytes);
    EXPECT_EQ(Bytes(sk.begin(), sk.begin() + 32), Bytes(pk.begin(), pk.begin() + 32)) << name << ": rho";
    EXPECT_EQ(Bytes(sk.begin() + 64, sk.begin() + 128), shake256(pk, 64)) << name << ": tr";
    const Bytes sig = mldsa87::sign(sk, header, {}, kZeroRnd);
    EXPECT_TRUE(mldsa87::verify(pk, header, {}, sig)) << name;
  }
}

// Our Keccak sponge (used by ML-DSA and ML-KEM) against OpenSSL, including squeezing in pieces
// across block boundaries.
TEST(Keccak, SpongeMatchesOpenSsl) {
  Bytes msg(500);
  for (size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<uint8_t>(i * 13 + 1);
  for (size_t len : {0, 1, 135, 136, 137, 167, 168, 169, 500}) {
    const ByteView m = ByteView(msg).first(len);
    auto s256 = detail::KeccakSponge::shake256();
    s256.absorb(m.first(len / 2)).absorb(m.subspan(len / 2));
    Bytes out = s256.squeeze(100);
    const Bytes more = s256.squeeze(300);
    out.insert(out.end(), more.begin(), more.end());
    EXPECT_EQ(out, shake256(m, 400)) << len;
    EXPECT_EQ(detail::KeccakSponge::shake128().absorb(m).squeeze(200), shake128(m, 200)) << len;
    EXPECT_EQ(detail::KeccakSponge::sha3_256().absorb(m).squeeze(32), sha3_256(m)) << len;
    EXPECT_EQ(detail::KeccakSponge::sha3_512().absorb(m).squeeze(64), sha3_512(m)) << len;
  }
}
