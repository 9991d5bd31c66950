// Key files: Caliptra's test key directory loads; keys of the wrong type are named as such.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "image/keys.h"
#include "image_test_util.h"

namespace calemu::image {
namespace {

using namespace testing;
namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ImageError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string scratch(const std::string& name) {
  const fs::path dir = fs::path(CALEMU_BINARY_DIR) / "tests" / "image" / "scratch";
  fs::create_directories(dir);
  return (dir / name).string();
}

void write(const std::string& path, const std::string& data) { std::ofstream(path, std::ios::binary) << data; }

TEST(Keys, LoadsCaliptraTestKeyDirectory) {
  REQUIRE_TEST_KEYS();
  const KeySet& k = test_keys();
  EXPECT_EQ(k.vendor_ecc.size(), 4u);
  EXPECT_EQ(k.vendor_lms.size(), 4u);
  EXPECT_EQ(k.vendor_mldsa.size(), 4u);
  ASSERT_TRUE(k.owner_ecc && k.owner_lms && k.owner_mldsa);
  for (const auto& e : k.vendor_ecc) EXPECT_TRUE(e.priv.has_value());
  EXPECT_EQ(k.vendor_lms[0].pub.size(), 48u);
  EXPECT_EQ(k.vendor_lms[0].pub[3], 0x0C);  // LMS_SHA256_M24_H15
  EXPECT_EQ(k.vendor_lms[0].pub[7], 0x07);  // LMOTS_SHA256_N24_W4
  EXPECT_EQ(k.vendor_mldsa[0].pub.size(), 2592u);
  EXPECT_EQ(k.vendor_mldsa[0].priv->size(), 4896u);
  EXPECT_EQ(&vendor_lms_slot(k, 9), &k.vendor_lms[1]);  // 32 slots from 4 keys
  EXPECT_EQ(k.vendor_ecc[0].manifest_bytes().size(), 96u);
}

TEST(Keys, WrongTypeIsNamed) {
  REQUIRE_TEST_KEYS();
  const std::string d = key_dir();
  EXPECT_NE(error_of([&] { load_ecc_key(d + "/vendor_lms_0_pub.pem"); }).find("is an LMS key, expected an ECC P-384 key"), std::string::npos);
  EXPECT_NE(error_of([&] { load_lms_key(d + "/vendor_mldsa_0_pub.pem"); }).find("is an ML-DSA key, expected an LMS key"), std::string::npos);
  EXPECT_NE(error_of([&] { load_mldsa_key(d + "/vendor_ecc_0_pub.pem"); }).find("is an ECC key, expected an ML-DSA-87 key"), std::string::npos);
  EXPECT_NE(error_of([&] { load_lms_key(d + "/vendor_lms_0_key.pem"); }).find("is a private key, expected the public key"), std::string::npos);
  EXPECT_NE(error_of([&] { load_lms_key(d + "/vendor_lms_0_pub.pem", d + "/vendor_lms_1_key.pem"); }).find("does not belong"), std::string::npos);
  EXPECT_NE(error_of([&] { load_ecc_key(d + "/vendor_ecc_0_pub.pem", d + "/vendor_ecc_1_key.pem"); }).find("does not belong"), std::string::npos);
}

TEST(Keys, BrokenFilesGetPreciseMessages) {
  const std::string garbage = scratch("garbage.pem"), truncated = scratch("truncated.pem"), raw = scratch("raw.bin");
  write(garbage, "hello");
  write(truncated, "-----BEGIN PUBLIC KEY-----\nMEIwDQYLKoZIhvcNAQkQAxEDMQAAAAAMAAAAB0kI\n-----END PUBLIC KEY-----\n");
  write(raw, std::string(47, '\0'));
  EXPECT_NE(error_of([&] { load_ecc_key(garbage); }).find("not a PEM file"), std::string::npos);
  EXPECT_NE(error_of([&] { load_lms_key(truncated); }).find("not a well-formed DER SEQUENCE"), std::string::npos);
  EXPECT_NE(error_of([&] { load_lms_key(raw); }).find("47 bytes, expected 48"), std::string::npos);
  EXPECT_NE(error_of([&] { load_ecc_key(scratch("missing.pem")); }).find("cannot open"), std::string::npos);
  EXPECT_NE(error_of([&] { load_key_dir(scratch("no-such-dir")); }).find("not a directory"), std::string::npos);
}

TEST(Keys, LmsKeysOfOtherTreesAreRejected) {
  // u32str(LMS_SHA256_M24_H10 = 11) ‖ u32str(7) ‖ I ‖ T1: a valid LMS key, but not a tree Caliptra uses.
  std::string key = std::string("\0\0\0\x0b\0\0\0\x07", 8) + std::string(40, '\x11');
  const std::string path = scratch("h10.bin");
  write(path, key);
  EXPECT_NE(error_of([&] { load_lms_key(path); }).find("not LMS_SHA256_M24_H15"), std::string::npos);
}

}  // namespace
}  // namespace calemu::image
