// Just enough PEM/DER to read key files OpenSSL cannot classify for us (LMS, ML-DSA) and to
// name the type of a key given in the wrong place.
#pragma once
#include <string>

#include "image/types.h"

namespace calemu::image::pem {

enum class KeyAlgorithm { Ecc, Lms, MlDsa, Rsa, Other };

struct KeyFile {
  std::string label;        // "PRIVATE KEY", "PUBLIC KEY", "EC PRIVATE KEY", ...
  KeyAlgorithm algorithm = KeyAlgorithm::Other;
  std::string oid;          // dotted algorithm OID ("" for SEC1 EC keys)
  bool is_private = false;
  Bytes key;                // PKCS#8 privateKey OCTET STRING contents / SPKI BIT STRING bits
};

bool looks_like_pem(ByteView file);
// Throws ImageError("<path>: <problem>") if the file is not a PEM-encoded PKCS#8, SPKI or
// SEC1 key.
KeyFile parse_key_file(ByteView file, const std::string& path);
std::string algorithm_name(KeyAlgorithm a);  // "an ECC P-384 key", "an LMS key", ...

// DER TLV reading, bounds-checked.
struct Tlv {
  uint8_t tag = 0;
  ByteView value;
};
bool read_tlv(ByteView& in, Tlv& out);  // consumes one TLV from `in`; false if malformed

}  // namespace calemu::image::pem
