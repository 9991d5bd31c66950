#include "image/signatures.h"

#include <algorithm>

#include "crypto/ecc384.h"
#include "crypto/lms.h"
#include "crypto/mldsa87.h"

namespace calemu::image {

namespace {

// The P-384 group order n, big-endian: the ECC engine rejects r, s outside [1, n-1].
constexpr uint8_t kP384Order[48] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
    0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73};

bool all_zero(ByteView b) { return std::all_of(b.begin(), b.end(), [](uint8_t v) { return v == 0; }); }

bool scalar_in_range(ByteView be48) {
  return !all_zero(be48) &&
         std::lexicographical_compare(be48.begin(), be48.end(), std::begin(kP384Order), std::end(kP384Order));
}

uint32_t be32(ByteView b, size_t o) {
  return (uint32_t{b[o]} << 24) | (uint32_t{b[o + 1]} << 16) | (uint32_t{b[o + 2]} << 8) | b[o + 3];
}

}  // namespace

Bytes ecc_sign(const EccKey& key, ByteView digest48) {
  if (!key.priv) throw ImageError(key.source + ": no ECC private key to sign with");
  const crypto::EccSignature sig = crypto::ecc384_sign_digest(*key.priv, digest48);
  Bytes out = hw_format(sig.r);
  const Bytes s = hw_format(sig.s);
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

Bytes mldsa_sign(const MldsaKey& key, ByteView message) {
  if (!key.priv) throw ImageError(key.source + ": no ML-DSA private key to sign with");
  // Pure ML-DSA-87 with an empty context; rnd = 0 (deterministic) so that the same inputs
  // give the same image.
  const Bytes rnd(32, 0);
  return crypto::mldsa87::sign(*key.priv, message, {}, rnd);
}

SigResult ecc_check(ByteView key_hw, ByteView sig_hw, ByteView digest) {
  if (all_zero(key_hw.first(48)) || all_zero(key_hw.subspan(48, 48))) return {SigCheck::ZeroKey, "ECC public key is zero"};
  if (all_zero(sig_hw.first(48)) || all_zero(sig_hw.subspan(48, 48))) return {SigCheck::ZeroSignature, "ECC signature is zero"};
  const Bytes r = hw_format(sig_hw.first(48)), s = hw_format(sig_hw.subspan(48, 48));
  if (!scalar_in_range(r) || !scalar_in_range(s)) return {SigCheck::DriverError, "ECC signature r or s not in [1, n-1]"};
  const crypto::EccPublicKey pub{hw_format(key_hw.first(48)), hw_format(key_hw.subspan(48, 48))};
  bool ok = false;
  try {
    ok = crypto::ecc384_verify_digest(pub, digest, {r, s});
  } catch (const crypto::CryptoError&) {
    ok = false;  // a key off the curve: the engine's r' cannot equal r
  }
  return ok ? SigResult{SigCheck::Ok, ""} : SigResult{SigCheck::Mismatch, "ECC signature does not verify"};
}

// The firmware's LMS driver (caliptra-sw drivers/src/lms.rs) returns a driver error for a
// signature whose LM-OTS type differs from the key's, whose tree is not of height 15, whose
// q is out of range, or whose LM-OTS type is not N24/W4 (p = 51); a wrong root is a mismatch.
// It takes the tree type from the signature, never reads the key's, and computes with N = 24
// even for an M32 tree type, so verification here uses M24_H15 whatever the fields say.
SigResult lms_check(ByteView pub, ByteView sig, ByteView message) {
  constexpr uint32_t kOtsN24W4 = 7, kLmsM24H15 = 12, kLmsM32H15 = 7, kTreeTypeOffset = 4 + 1252;
  static constexpr uint8_t kM24H15Bytes[4] = {0, 0, 0, kLmsM24H15};
  const uint32_t q = be32(sig, 0), sig_ots = be32(sig, 4), tree = be32(sig, kTreeTypeOffset);
  if (sig_ots != be32(pub, 4)) return {SigCheck::DriverError, "LMS signature's LM-OTS type differs from the key's"};
  if (tree != kLmsM24H15 && tree != kLmsM32H15) return {SigCheck::DriverError, "LMS signature is not for a height-15 tree"};
  if (q >= (1u << 15)) return {SigCheck::DriverError, "LMS signature's leaf q is out of range"};
  if (sig_ots != kOtsN24W4) return {SigCheck::DriverError, "LMS signature's LM-OTS type is not N24/W4"};
  Bytes key(pub.begin(), pub.end()), signature(sig.begin(), sig.end());
  std::copy_n(kM24H15Bytes, 4, key.begin());
  std::copy_n(kM24H15Bytes, 4, signature.begin() + kTreeTypeOffset);
  bool ok = false;
  try {
    ok = crypto::lms::verify(key, message, signature);
  } catch (const crypto::CryptoError&) {
    ok = false;
  }
  return ok ? SigResult{SigCheck::Ok, ""} : SigResult{SigCheck::Mismatch, "LMS signature does not verify"};
}

SigResult mldsa_check(ByteView pub, ByteView sig, ByteView message) {
  bool ok = false;
  try {
    ok = crypto::mldsa87::verify(pub, message, {}, sig);
  } catch (const crypto::CryptoError&) {
    ok = false;
  }
  return ok ? SigResult{SigCheck::Ok, ""} : SigResult{SigCheck::Mismatch, "ML-DSA-87 signature does not verify"};
}

}  // namespace calemu::image
