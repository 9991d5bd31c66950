// ML-KEM-1024 (FIPS 203) against NIST ACVP vectors and vectors made with @noble/post-quantum.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/mlkem1024.h"
#include "test_util.h"

using namespace calemu::crypto;
using namespace calemu::crypto::test;

namespace {
nlohmann::json load_json(const std::string& name) { return nlohmann::json::parse(read_text(data_path(name))); }
}  // namespace

TEST(MlKem1024, AcvpKeyGen) {
  const auto doc = load_json("mlkem1024_acvp.json");
  ASSERT_EQ(doc["keyGen"].size(), 3u);
  for (const auto& tc : doc["keyGen"]) {
    const mlkem1024::KeyPair kp = mlkem1024::keygen(hex(tc["d"]), hex(tc["z"]));
    EXPECT_EQ(to_hex(kp.ek), to_hex(hex(tc["ek"]))) << "tcId " << tc["tcId"];
    EXPECT_EQ(to_hex(kp.dk), to_hex(hex(tc["dk"]))) << "tcId " << tc["tcId"];
  }
}

TEST(MlKem1024, AcvpEncapsulation) {
  const auto doc = load_json("mlkem1024_acvp.json");
  ASSERT_EQ(doc["encapsulation"].size(), 3u);
  for (const auto& tc : doc["encapsulation"]) {
    const mlkem1024::Encapsulation e = mlkem1024::encaps(hex(tc["ek"]), hex(tc["m"]));
    EXPECT_EQ(to_hex(e.ciphertext), to_hex(hex(tc["c"]))) << "tcId " << tc["tcId"];
    EXPECT_EQ(to_hex(e.shared_secret), to_hex(hex(tc["k"]))) << "tcId " << tc["tcId"];
  }
}

// Includes modified ciphertexts, which must give the implicit-rejection key.
TEST(MlKem1024, AcvpDecapsulationIncludingImplicitRejection) {
  const auto doc = load_json("mlkem1024_acvp.json");
  int modified = 0;
  for (const auto& tc : doc["decapsulation"]) {
    EXPECT_EQ(to_hex(mlkem1024::decaps(hex(tc["dk"]), hex(tc["c"]))), to_hex(hex(tc["k"])))
        << "tcId " << tc["tcId"] << " (" << tc["reason"] << ")";
    modified += tc["reason"] == "modify ciphertext";
  }
  EXPECT_GE(modified, 1);
}

TEST(MlKem1024, NobleRoundTripsAndRejection) {
  const auto doc = load_json("mlkem1024_noble.json");
  for (const auto& tc : doc["cases"]) {
    const mlkem1024::KeyPair kp = mlkem1024::keygen(hex(tc["d"]), hex(tc["z"]));
    EXPECT_EQ(kp.ek, hex(tc["ek"]));
    EXPECT_EQ(kp.dk, hex(tc["dk"]));
    const mlkem1024::Encapsulation e = mlkem1024::encaps(kp.ek, hex(tc["m"]));
    EXPECT_EQ(e.ciphertext, hex(tc["c"]));
    EXPECT_EQ(e.shared_secret, hex(tc["k"]));
    EXPECT_EQ(mlkem1024::decaps(kp.dk, e.ciphertext), e.shared_secret);
    EXPECT_EQ(to_hex(mlkem1024::decaps(kp.dk, hex(tc["c_modified"]))), tc["k_rejected"].get<std::string>());
  }
}

TEST(MlKem1024, RejectsMalformedInputs) {
  const auto doc = load_json("mlkem1024_noble.json");
  const Bytes ek = hex(doc["cases"][0]["ek"]), dk = hex(doc["cases"][0]["dk"]), c = hex(doc["cases"][0]["c"]);
  const Bytes m(32, 7);
  EXPECT_THROW(mlkem1024::encaps(ByteView(ek).first(100), m), CryptoError);
  EXPECT_THROW(mlkem1024::encaps(ek, Bytes(31)), CryptoError);
  Bytes unreduced = ek;
  unreduced[0] = 0xff;  // first coefficient = 0x?ff with the high nibble of byte 1: make it >= q
  unreduced[1] |= 0x0f;
  EXPECT_THROW(mlkem1024::encaps(unreduced, m), CryptoError);
  EXPECT_THROW(mlkem1024::decaps(dk, ByteView(c).first(100)), CryptoError);
  Bytes bad_hash = dk;
  bad_hash[2 * 1536 + 32] ^= 1;  // inside H(ek)
  EXPECT_THROW(mlkem1024::decaps(bad_hash, c), CryptoError);
  EXPECT_THROW(mlkem1024::keygen(Bytes(32), Bytes(16)), CryptoError);
}
