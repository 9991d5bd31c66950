// ECDSA / ECDH P-384 and HMAC_DRBG.
#include <gtest/gtest.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include <cstdio>

#include <memory>

#include "crypto/ecc384.h"
#include "crypto/sha.h"
#include "test_util.h"

using namespace calemu::crypto;
using namespace calemu::crypto::test;

namespace {

// RFC 6979 Appendix A.2.6 (ECDSA, 384 bits, prime field): key pair.
const Bytes kRfcPriv = hex("6b9d3dad2e1b8c1c05b19875b6659f4de23c3b667bf297ba9aa47740787137d896d5724e4c70a825f872c9ea60d2edf5");
const EccPublicKey kRfcPub{
    hex("ec3a4e415b4e19a4568618029f427fa5da9a8bc4ae92e02e06aae5286b300c64def8f0ea9055866064a254515480bc13"),
    hex("8015d9b72d7d57244ea8ef9ac0c621896708a59367f9dfb9f54ca84b3f1c9db1288b231c3ae0d4fe7344fd2533264720")};

}  // namespace

TEST(Ecc384, PublicKeyFromPrivateRfc6979) {
  const EccPublicKey pub = ecc384_public_from_private(kRfcPriv);
  EXPECT_EQ(pub.x, kRfcPub.x);
  EXPECT_EQ(pub.y, kRfcPub.y);
  EXPECT_TRUE(ecc384_on_curve(pub));
}

// RFC 6979 A.2.6, "With SHA-384, message = "sample"" and "... = "test"".
TEST(Ecc384, DeterministicSignaturesRfc6979A26) {
  struct Case { const char* msg; const char* r; const char* s; };
  const Case cases[] = {
      {"sample", "94edbb92a5ecb8aad4736e56c691916b3f88140666ce9fa73d64c4ea95ad133c81a648152e44acf96e36dd1e80fabe46",
       "99ef4aeb15f178cea1fe40db2603138f130e740a19624526203b6351d0a3a94fa329c145786e679e7b82c71a38628ac8"},
      {"test", "8203b63d3c853e8d77227fb377bcf7b7b772e97892a80f36ab775d509d7a5feb0542a7f0812998da8f1dd3ca3cf023db",
       "ddd0760448d42d8a43af45af836fce4de8be06b485e9b61b827c2f13173923e06a739f040649a667bf3b828246baa5a5"},
  };
  for (const Case& c : cases) {
    const Bytes digest = sha384(ascii(c.msg));
    const EccSignature sig = ecc384_sign_digest(kRfcPriv, digest);
    EXPECT_EQ(to_hex(sig.r), c.r) << c.msg;
    EXPECT_EQ(to_hex(sig.s), c.s) << c.msg;
    EXPECT_TRUE(ecc384_verify_digest(kRfcPub, digest, sig));
  }
}

TEST(Ecc384, VerifyRejectsTamperingAndBadInputs) {
  const Bytes digest = sha384(ascii("sample"));
  const EccSignature good = ecc384_sign_digest(kRfcPriv, digest);
  EccSignature bad = good;
  bad.s[47] ^= 1;
  EXPECT_FALSE(ecc384_verify_digest(kRfcPub, digest, bad));
  Bytes other = digest;
  other[0] ^= 0x80;
  EXPECT_FALSE(ecc384_verify_digest(kRfcPub, other, good));
  EXPECT_FALSE(ecc384_verify_digest(kRfcPub, digest, {Bytes(48, 0), good.s}));         // r = 0
  EXPECT_FALSE(ecc384_verify_digest(kRfcPub, digest, {good.r, Bytes(48, 0xff)}));      // s >= n
  EXPECT_FALSE(ecc384_verify_digest(kRfcPub, digest, {Bytes(47, 1), good.s}));         // wrong size
  EccPublicKey off_curve = kRfcPub;
  off_curve.y[47] ^= 1;
  EXPECT_FALSE(ecc384_on_curve(off_curve));
  EXPECT_FALSE(ecc384_verify_digest(off_curve, digest, good));
  EXPECT_THROW(ecc384_sign_digest(Bytes(48, 0), digest), CryptoError);
  EXPECT_THROW(ecc384_sign_digest(kRfcPriv, Bytes(32, 0)), CryptoError);
}

// ECDH agrees in both directions and matches OpenSSL's own derive on the same keys.
TEST(Ecc384, EcdhAgreesAndRejectsOffCurvePoints) {
  const Bytes other_priv = sha384(ascii("peer"));
  const EccPublicKey other_pub = ecc384_public_from_private(other_priv);
  const auto ab = ecc384_ecdh(kRfcPriv, other_pub);
  const auto ba = ecc384_ecdh(other_priv, kRfcPub);
  ASSERT_TRUE(ab && ba);
  EXPECT_EQ(*ab, *ba);
  EccPublicKey off_curve = other_pub;
  off_curve.x[0] ^= 1;
  EXPECT_FALSE(ecc384_ecdh(kRfcPriv, off_curve).has_value());
}

TEST(Ecc384, LoadsCaliptraFakeVendorKeyPem) {
  const EccKeyPair kp = ecc384_load_private_pem(shared_key_path("vendor_ecc_0_key.pem"));
  const EccPublicKey pub = ecc384_load_public_pem(shared_key_path("vendor_ecc_0_pub.pem"));
  ASSERT_EQ(kp.priv.size(), 48u);
  EXPECT_EQ(kp.pub.x, pub.x);
  EXPECT_EQ(kp.pub.y, pub.y);
  // First bytes of the SEC1 private scalar and SPKI point, read with `openssl asn1parse`.
  EXPECT_EQ(to_hex(kp.priv).substr(0, 8), "29f939ea");
  EXPECT_EQ(to_hex(pub.x).substr(0, 8), "c69fe67f");
  const Bytes digest = sha384(ascii("image header"));
  EXPECT_TRUE(ecc384_verify_digest(pub, digest, ecc384_sign_digest(kp.priv, digest)));
}

// The same key re-encoded as PKCS#8 ("PRIVATE KEY") by OpenSSL loads to the same scalar.
TEST(Ecc384, LoadsPkcs8PrivateKeyPem) {
  const std::string sec1 = shared_key_path("vendor_ecc_0_key.pem");
  const std::string pkcs8 = std::string(CALEMU_BINARY_DIR) + "/ecc384_test_pkcs8.pem";
  {
    BIO* in = BIO_new_file(sec1.c_str(), "r");
    EVP_PKEY* pkey = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
    BIO* out = BIO_new_file(pkcs8.c_str(), "w");
    ASSERT_TRUE(pkey && out && PEM_write_bio_PrivateKey(out, pkey, nullptr, nullptr, 0, nullptr, nullptr));
    BIO_free(out);
    EVP_PKEY_free(pkey);
    BIO_free(in);
  }
  ASSERT_NE(read_text(pkcs8).find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  EXPECT_EQ(ecc384_load_private_pem(pkcs8).priv, ecc384_load_private_pem(sec1).priv);
  EXPECT_EQ(ecc384_load_public_pem(pkcs8).x, ecc384_load_public_pem(sec1).x);  // public from a private file
  std::remove(pkcs8.c_str());
}

TEST(Ecc384, PemErrorsNameTheFileAndProblem) {
  try {
    ecc384_load_private_pem("/nonexistent.pem");
    FAIL();
  } catch (const CryptoError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent.pem: cannot open"), std::string::npos);
  }
  // An LMS key is PEM but not an EC key.
  EXPECT_THROW(ecc384_load_public_pem(shared_key_path("vendor_lms_0_pub.pem")), CryptoError);
}

namespace {

// OpenSSL's own SP 800-90A HMAC_DRBG (EVP_RAND "HMAC-DRBG" fed by "TEST-RAND"), used as
// an independent oracle for our HmacDrbg384.
Bytes openssl_hmac_drbg384(const Bytes& entropy, const Bytes& nonce, const Bytes& pers, size_t len, int calls) {
  auto free_rand = [](EVP_RAND_CTX* c) { EVP_RAND_CTX_free(c); };
  EVP_RAND* test_rand = EVP_RAND_fetch(nullptr, "TEST-RAND", nullptr);
  EVP_RAND* hmac_rand = EVP_RAND_fetch(nullptr, "HMAC-DRBG", nullptr);
  if (!test_rand || !hmac_rand) throw std::runtime_error("no TEST-RAND / HMAC-DRBG");
  std::unique_ptr<EVP_RAND_CTX, decltype(free_rand)> parent(EVP_RAND_CTX_new(test_rand, nullptr), free_rand);
  std::unique_ptr<EVP_RAND_CTX, decltype(free_rand)> drbg(EVP_RAND_CTX_new(hmac_rand, parent.get()), free_rand);
  EVP_RAND_free(test_rand);
  EVP_RAND_free(hmac_rand);
  unsigned strength = 256;
  Bytes e = entropy, n = nonce;
  const OSSL_PARAM parent_params[] = {
      OSSL_PARAM_construct_uint(OSSL_RAND_PARAM_STRENGTH, &strength),
      OSSL_PARAM_construct_octet_string(OSSL_RAND_PARAM_TEST_ENTROPY, e.data(), e.size()),
      OSSL_PARAM_construct_octet_string(OSSL_RAND_PARAM_TEST_NONCE, n.data(), n.size()), OSSL_PARAM_construct_end()};
  char digest[] = "SHA384", mac[] = "HMAC";
  const OSSL_PARAM drbg_params[] = {OSSL_PARAM_construct_utf8_string(OSSL_DRBG_PARAM_DIGEST, digest, 0),
                                    OSSL_PARAM_construct_utf8_string(OSSL_DRBG_PARAM_MAC, mac, 0),
                                    OSSL_PARAM_construct_end()};
  if (!EVP_RAND_CTX_set_params(parent.get(), parent_params) ||
      !EVP_RAND_instantiate(parent.get(), strength, 0, nullptr, 0, nullptr) ||
      !EVP_RAND_CTX_set_params(drbg.get(), drbg_params) ||
      !EVP_RAND_instantiate(drbg.get(), strength, 0, pers.data(), pers.size(), nullptr))
    throw std::runtime_error("OpenSSL HMAC-DRBG setup failed");
  Bytes out(len);
  for (int i = 0; i < calls; ++i)
    if (!EVP_RAND_generate(drbg.get(), out.data(), out.size(), strength, 0, nullptr, 0))
      throw std::runtime_error("OpenSSL HMAC-DRBG generate failed");
  return out;
}

}  // namespace

TEST(HmacDrbg384, MatchesOpenSslHmacDrbg) {
  const Bytes entropy = sha384(ascii("entropy")), nonce = hex("0123456789abcdef0123456789abcdef");
  const Bytes pers = ascii("calemu");
  for (int calls : {1, 2}) {
    HmacDrbg384 ours(entropy, nonce, pers);
    Bytes out;
    for (int i = 0; i < calls; ++i) out = ours.generate(100);
    EXPECT_EQ(out, openssl_hmac_drbg384(entropy, nonce, pers, 100, calls)) << calls;
  }
}
