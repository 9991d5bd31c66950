#include "image/keys.h"

#include <filesystem>

#include "common/elf.h"
#include "crypto/mldsa87.h"
#include "image/pem.h"

namespace calemu::image {

namespace {

namespace fs = std::filesystem;
using pem::KeyAlgorithm;

constexpr uint32_t kLmsSha256M24H15 = 12, kLmotsSha256N24W4 = 7;  // spec §1.2
constexpr size_t kLmsPrivateBytes = 48;                           // type ‖ otstype ‖ I ‖ SEED

[[noreturn]] void fail(const std::string& path, const std::string& problem) { throw ImageError(path + ": " + problem); }

Bytes read_key_file(const std::string& path) {
  try {
    return read_file(path);
  } catch (const std::exception& e) {
    throw ImageError(e.what());
  }
}

// Parses a PEM key file and insists on the expected algorithm, so that e.g. an LMS key given
// as an ECC key is reported as such rather than as a parse failure deep in a loader.
pem::KeyFile expect_pem(ByteView file, const std::string& path, KeyAlgorithm want, const char* wanted) {
  pem::KeyFile k = pem::parse_key_file(file, path);
  if (k.algorithm != want)
    fail(path, "is " + pem::algorithm_name(k.algorithm) + ", expected " + wanted + (k.oid.empty() ? "" : " (its OID is " + k.oid + ")"));
  return k;
}

uint32_t be32(ByteView b, size_t o) {
  return (uint32_t{b[o]} << 24) | (uint32_t{b[o + 1]} << 16) | (uint32_t{b[o + 2]} << 8) | b[o + 3];
}

void check_lms_types(ByteView key, const std::string& path) {
  const uint32_t type = be32(key, 0), ots = be32(key, 4);
  if (type != kLmsSha256M24H15)
    fail(path, "LMS tree type " + hex32(type) + " is not LMS_SHA256_M24_H15 (0x0c), the only tree Caliptra images use");
  if (ots != kLmotsSha256N24W4)
    fail(path, "LM-OTS type " + hex32(ots) + " is not LMOTS_SHA256_N24_W4 (0x07), the only one Caliptra images use");
}

Bytes lms_key_bytes(const std::string& path, bool is_private) {
  const Bytes file = read_key_file(path);
  Bytes key = file;
  if (pem::looks_like_pem(file)) {
    const pem::KeyFile k = expect_pem(file, path, KeyAlgorithm::Lms, "an LMS key");
    if (k.is_private != is_private) fail(path, is_private ? "is a public key, expected the private key" : "is a private key, expected the public key");
    key = k.key;
    // An HSS public key with L = 1 carries the LMS key after a 4-byte level count.
    if (!is_private && key.size() == 52 && be32(key, 0) == 1) key.erase(key.begin(), key.begin() + 4);
  }
  const size_t want = is_private ? kLmsPrivateBytes : kLmsPublicKeyBytes;
  if (key.size() != want)
    fail(path, "LMS " + std::string(is_private ? "private" : "public") + " key is " + std::to_string(key.size()) +
                   " bytes, expected " + std::to_string(want));
  check_lms_types(key, path);
  return key;
}

Bytes mldsa_secret_from_pkcs8(const Bytes& octets, const std::string& path) {
  if (octets.size() == crypto::mldsa87::kSecretKeyBytes) return octets;  // raw sk (Caliptra's test keys)
  // FIPS 204 PKCS#8 CHOICE: expandedKey OCTET STRING, or SEQUENCE { seed, expandedKey }.
  ByteView in(octets);
  pem::Tlv t;
  if (pem::read_tlv(in, t)) {
    if (t.tag == 0x04 && t.value.size() == crypto::mldsa87::kSecretKeyBytes) return Bytes(t.value.begin(), t.value.end());
    if (t.tag == 0x30) {
      ByteView seq = t.value;
      pem::Tlv seed, expanded;
      if (pem::read_tlv(seq, seed) && pem::read_tlv(seq, expanded) && expanded.tag == 0x04 &&
          expanded.value.size() == crypto::mldsa87::kSecretKeyBytes)
        return Bytes(expanded.value.begin(), expanded.value.end());
    }
  }
  fail(path, "ML-DSA private key is not a 4896-byte ML-DSA-87 secret key");
}

Bytes mldsa_key_bytes(const std::string& path, bool is_private) {
  const Bytes file = read_key_file(path);
  Bytes key = file;
  if (pem::looks_like_pem(file)) {
    const pem::KeyFile k = expect_pem(file, path, KeyAlgorithm::MlDsa, "an ML-DSA-87 key");
    if (k.is_private != is_private) fail(path, is_private ? "is a public key, expected the private key" : "is a private key, expected the public key");
    key = is_private ? mldsa_secret_from_pkcs8(k.key, path) : k.key;
  }
  const size_t want = is_private ? crypto::mldsa87::kSecretKeyBytes : crypto::mldsa87::kPublicKeyBytes;
  if (key.size() != want)
    fail(path, "ML-DSA-87 " + std::string(is_private ? "private" : "public") + " key is " + std::to_string(key.size()) +
                   " bytes, expected " + std::to_string(want));
  return key;
}

void check_ecc_file(const std::string& path) {
  const Bytes file = read_key_file(path);
  if (!pem::looks_like_pem(file)) fail(path, "not a PEM file; ECC keys must be PEM (SEC1, PKCS#8 or SPKI)");
  expect_pem(file, path, KeyAlgorithm::Ecc, "an ECC P-384 key");
}

bool exists(const std::string& path) { return !path.empty() && fs::exists(path); }

std::string path_in(const std::string& dir, const std::string& name) { return (fs::path(dir) / name).string(); }

std::string optional_path(const std::string& dir, const std::string& name) {
  const std::string p = path_in(dir, name);
  return fs::exists(p) ? p : std::string();
}

}  // namespace

Bytes EccKey::manifest_bytes() const {
  Bytes b = hw_format(pub.x);
  const Bytes y = hw_format(pub.y);
  b.insert(b.end(), y.begin(), y.end());
  return b;
}

EccKey load_ecc_key(const std::string& pub_path, const std::string& priv_path) {
  EccKey k;
  k.source = pub_path.empty() ? priv_path : pub_path;
  try {
    if (!pub_path.empty()) {
      check_ecc_file(pub_path);
      k.pub = crypto::ecc384_load_public_pem(pub_path);
    }
    if (!priv_path.empty()) {
      check_ecc_file(priv_path);
      const crypto::EccKeyPair kp = crypto::ecc384_load_private_pem(priv_path);
      if (!pub_path.empty() && (kp.pub.x != k.pub.x || kp.pub.y != k.pub.y))
        fail(priv_path, "private key does not belong to the public key in " + pub_path);
      k.pub = kp.pub;
      k.priv = kp.priv;
    }
  } catch (const crypto::CryptoError& e) {
    throw ImageError(e.what());
  }
  return k;
}

LmsKey load_lms_key(const std::string& pub_path, const std::string& priv_path) {
  if (pub_path.empty()) fail(priv_path, "an LMS private key needs its public key file (the tree root)");
  LmsKey k;
  k.source = pub_path;
  k.pub = lms_key_bytes(pub_path, false);
  if (!priv_path.empty()) {
    const Bytes p = lms_key_bytes(priv_path, true);
    if (!std::equal(p.begin(), p.begin() + 24, k.pub.begin()))
      fail(priv_path, "LMS private key does not belong to the public key in " + pub_path + " (type or I differ)");
    crypto::lms::PrivateKey priv;
    priv.type = static_cast<crypto::lms::LmsType>(be32(p, 0));
    priv.ots = static_cast<crypto::lms::OtsType>(be32(p, 4));
    priv.id.assign(p.begin() + 8, p.begin() + 24);
    priv.seed.assign(p.begin() + 24, p.end());
    k.priv = std::move(priv);
  }
  return k;
}

MldsaKey load_mldsa_key(const std::string& pub_path, const std::string& priv_path) {
  if (pub_path.empty()) fail(priv_path, "an ML-DSA private key needs its public key file");
  MldsaKey k;
  k.source = pub_path;
  k.pub = mldsa_key_bytes(pub_path, false);
  if (!priv_path.empty()) {
    Bytes sk = mldsa_key_bytes(priv_path, true);
    // sk and pk both start with rho (FIPS 204 Algorithms 22 and 24).
    if (!std::equal(sk.begin(), sk.begin() + 32, k.pub.begin()))
      fail(priv_path, "ML-DSA private key does not belong to the public key in " + pub_path);
    k.priv = std::move(sk);
  }
  return k;
}

namespace {

void read_owner_keys(const std::string& dir, KeySet& ks) {
  auto pair_exists = [&](const std::string& stem) {
    return exists(path_in(dir, stem + "_pub.pem")) || exists(path_in(dir, stem + "_key.pem"));
  };
  ks.owner_ecc.reset();
  ks.owner_lms.reset();
  ks.owner_mldsa.reset();
  if (pair_exists("owner_ecc")) ks.owner_ecc = load_ecc_key(optional_path(dir, "owner_ecc_pub.pem"), optional_path(dir, "owner_ecc_key.pem"));
  if (pair_exists("owner_lms")) ks.owner_lms = load_lms_key(optional_path(dir, "owner_lms_pub.pem"), optional_path(dir, "owner_lms_key.pem"));
  if (pair_exists("owner_mldsa")) ks.owner_mldsa = load_mldsa_key(optional_path(dir, "owner_mldsa_pub.pem"), optional_path(dir, "owner_mldsa_key.pem"));
}

}  // namespace

void load_owner_keys(const std::string& dir, KeySet& keys) {
  if (!fs::is_directory(dir)) throw ImageError(dir + ": not a directory of keys");
  read_owner_keys(dir, keys);
  if (!keys.owner_ecc) throw ImageError(dir + ": no owner keys (expected owner_ecc_pub.pem / owner_ecc_key.pem, ...)");
}

KeySet load_key_dir(const std::string& dir) {
  if (!fs::is_directory(dir)) throw ImageError(dir + ": not a directory of keys");
  KeySet ks;
  ks.dir = dir;
  auto pair_exists = [&](const std::string& stem) {
    return exists(path_in(dir, stem + "_pub.pem")) || exists(path_in(dir, stem + "_key.pem"));
  };
  for (uint32_t i = 0; i < cmn2::kVendorEccKeys && pair_exists("vendor_ecc_" + std::to_string(i)); ++i) {
    const std::string stem = "vendor_ecc_" + std::to_string(i);
    ks.vendor_ecc.push_back(load_ecc_key(optional_path(dir, stem + "_pub.pem"), optional_path(dir, stem + "_key.pem")));
  }
  for (uint32_t i = 0; i < cmn2::kVendorLmsKeys && pair_exists("vendor_lms_" + std::to_string(i)); ++i) {
    const std::string stem = "vendor_lms_" + std::to_string(i);
    ks.vendor_lms.push_back(load_lms_key(optional_path(dir, stem + "_pub.pem"), optional_path(dir, stem + "_key.pem")));
  }
  for (uint32_t i = 0; i < cmn2::kVendorMldsaKeys && pair_exists("vendor_mldsa_" + std::to_string(i)); ++i) {
    const std::string stem = "vendor_mldsa_" + std::to_string(i);
    ks.vendor_mldsa.push_back(load_mldsa_key(optional_path(dir, stem + "_pub.pem"), optional_path(dir, stem + "_key.pem")));
  }
  read_owner_keys(dir, ks);
  if (ks.vendor_ecc.empty())
    throw ImageError(dir + ": no vendor ECC keys (expected vendor_ecc_0_pub.pem / vendor_ecc_0_key.pem, ...)");
  return ks;
}

const LmsKey& vendor_lms_slot(const KeySet& keys, uint32_t slot) {
  if (keys.vendor_lms.empty()) throw ImageError(keys.dir + ": no vendor LMS keys (expected vendor_lms_0_pub.pem, ...)");
  return keys.vendor_lms[slot % keys.vendor_lms.size()];
}

}  // namespace calemu::image
