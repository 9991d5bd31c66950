// Image signatures as Caliptra stores and checks them: ECDSA P-384 over a SHA-384 digest
// (hw-format r ‖ s), LMS over the digest bytes, ML-DSA-87 over the raw message (spec §0.3).
// The checks reproduce the outcomes the ROM/runtime distinguish by error code.
#pragma once
#include "image/keys.h"

namespace calemu::image {

Bytes ecc_sign(const EccKey& key, ByteView digest48);      // 96 bytes, hw format
Bytes mldsa_sign(const MldsaKey& key, ByteView message);   // 4627 bytes, deterministic

enum class SigCheck {
  Ok,
  ZeroKey,        // ECC: x or y all zero (checked by firmware before the engine runs)
  ZeroSignature,  // ECC: r or s all zero
  DriverError,    // the engine/driver refused the input (ECC r/s out of range, LMS structure)
  Mismatch,       // the signature does not verify
};
struct SigResult {
  SigCheck status;
  const char* reason;  // for messages; "" when Ok
};

SigResult ecc_check(ByteView key_hw96, ByteView sig_hw96, ByteView digest48);
SigResult lms_check(ByteView pub48, ByteView sig1620, ByteView message);
SigResult mldsa_check(ByteView pub2592, ByteView sig4627, ByteView message);

}  // namespace calemu::image
