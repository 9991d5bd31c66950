// Shared inputs for the image tests: Caliptra's test keys, our test firmware, bundles built
// once per test binary, and fuses programmed with the spec's test values.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "common/elf.h"
#include "image/bundle.h"
#include "image/keys.h"
#include "image/verify.h"

namespace calemu::image::testing {

inline std::string key_dir() { return std::string(CALEMU_SHARED_DIR) + "/keys/caliptra-fake"; }
inline bool have_test_keys() { return std::filesystem::exists(key_dir() + "/vendor_ecc_0_key.pem"); }
#define REQUIRE_TEST_KEYS() \
  if (!::calemu::image::testing::have_test_keys()) GTEST_SKIP() << "no test keys at " << ::calemu::image::testing::key_dir()

// Fuse values of Caliptra's test keys, copied from ../shared/spec/caliptra-fw-protocol.md
// §1.4 (2.x) and §1.7 (1.x).
inline constexpr const char* kSpecVendorHash2xMldsa =
    "30399676a17e3e973677b3ff862f4bf2d1932d884778453c376fe00dc93fb8aa0770f3ebf3411a0853e9c57ece8a2980";
inline constexpr const char* kSpecVendorHash2xLms =
    "b17ca877666657ccd100e6926c7206b60c995cb68992c6c9baefce728af05441dee1ff415adfc187e1e4edb4d3b2d909";
inline constexpr const char* kSpecOwnerHash2xMldsa =
    "48afdb073c5e0d4ee46490468ef81f2cf57249b6e76a28f5fca4de696a7d3e2ed3efc4e6774318543e95307a54988bd7";
inline constexpr const char* kSpecOwnerHash2xLms =
    "1b179390e4e6c44422ed553e256c7d675cd93190cb49d88d485aa4ef3906cd492ab3ee3d3ba5f2c990ad13390fed4de5";
inline constexpr const char* kSpecVendorHash1x =
    "53845724676e5e2f649d2c018e25c4fb80c2c28fcb6d6e93fb7cf908930a9953a9c69c3383aea9fd5573cb3db1ae0c3b";
inline constexpr const char* kSpecOwnerHash1x =
    "421275a87a71acf434b4f1076acdd68377d0a315f9e2a29b26b398913e89ff33006c10dcc4f1bd7467f1e2c41b0a893a";

inline DigestWords words(const char* hex) { return *parse_digest_words(hex); }

inline const KeySet& test_keys() {
  static const KeySet keys = load_key_dir(key_dir());
  return keys;
}

inline std::string firmware_elf(const std::string& name) { return std::string(CALEMU_BINARY_DIR) + "/firmware/" + name; }

inline FirmwareImage test_firmware(Generation gen, bool fmc) {
  const std::string g = gen == Generation::k1x ? "1x" : "2x";
  const std::string path = firmware_elf(fmc ? "fmc/fmc-" + g + ".elf" : "runtime/runtime-" + g + ".elf");
  FirmwareImage img;
  img.exe = executable_from_elf(load_elf(path), path, max_bundle_bytes(gen));
  img.version = fmc ? 0x0102 : 0x0203;
  return img;
}

inline BundleSpec base_spec(Generation gen, PqcKeyType pqc) {
  BundleSpec s;
  s.generation = gen;
  s.pqc = gen == Generation::k1x ? PqcKeyType::Lms : pqc;
  s.fmc = test_firmware(gen, true);
  s.runtime = test_firmware(gen, false);
  s.svn = 5;
  s.fmc.svn = 3;
  s.runtime.svn = 7;
  return s;
}

// Built once per (generation, PQC type) and test binary.
inline const Bytes& base_bundle(Generation gen, PqcKeyType pqc) {
  static std::map<std::pair<Generation, PqcKeyType>, Bytes> cache;
  auto key = std::pair{gen, gen == Generation::k1x ? PqcKeyType::Lms : pqc};
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, build_bundle(base_spec(gen, key.second), test_keys())).first;
  return it->second;
}

// A production part fused for Caliptra's test keys (values from the spec, not computed).
inline FuseState spec_fuses(Generation gen, PqcKeyType pqc) {
  FuseState f;
  f.lifecycle = Lifecycle::Production;
  if (gen == Generation::k1x) {
    f.vendor_pk_hash = words(kSpecVendorHash1x);
    f.owner_pk_hash = words(kSpecOwnerHash1x);
  } else if (pqc == PqcKeyType::Lms) {
    f.vendor_pk_hash = words(kSpecVendorHash2xLms);
    f.owner_pk_hash = words(kSpecOwnerHash2xLms);
  } else {
    f.vendor_pk_hash = words(kSpecVendorHash2xMldsa);
    f.owner_pk_hash = words(kSpecOwnerHash2xMldsa);
  }
  f.pqc_key_type = gen == Generation::k1x ? 0 : static_cast<uint32_t>(pqc);
  f.lms_verify = true;
  return f;
}

}  // namespace calemu::image::testing
