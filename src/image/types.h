// Shared vocabulary of the image library: generations, PQC key types, errors, and a
// bounds-safe view of a manifest's bytes.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/caliptra_generation.h"
#include "crypto/bytes.h"
#include "image/layout.h"

namespace calemu::image {

using crypto::Bytes;
using crypto::ByteView;
using Generation = CaliptraGeneration;

// Manifest `pqc_key_type` and FUSE_PQC_KEY_TYPE values (spec §0.5, §1.2).
enum class PqcKeyType : uint8_t { MlDsa = 1, Lms = 3 };

std::string_view generation_name(Generation gen);  // "1.x" / "2.x"
std::string_view pqc_name(PqcKeyType t);           // "ML-DSA-87" / "LMS"
std::optional<PqcKeyType> pqc_from_byte(uint32_t v);

// Bad input (truncated file, wrong marker, out-of-range size, wrong key type, ...): the
// message names the file or field and the problem.
struct ImageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// SHA-384 digest as the 12 words a fuse register or the SHA accelerator holds (spec §0.2).
using DigestWords = std::array<uint32_t, 12>;
DigestWords digest_words(ByteView digest48);
Bytes digest_bytes(const DigestWords& words);
bool is_zero(const DigestWords& words);
std::string words_hex(const DigestWords& words);  // "30399676 a17e3e97 ..."
// Parses 96 hex digits (spaces, commas, "0x" and underscores allowed).
std::optional<DigestWords> parse_digest_words(std::string_view text);

// ECC values and digests in manifests are "hw format": each 4-byte group reversed (§0.1).
// The conversion is its own inverse.
Bytes hw_format(ByteView bytes);

std::string hex(ByteView b);
std::string hex32(uint32_t v);  // "0x0000abcd"

uint32_t load_le32(ByteView b, size_t offset);  // offset + 4 <= b.size() is the caller's contract
uint16_t load_le16(ByteView b, size_t offset);
void store_le32(Bytes& b, size_t offset, uint32_t v);

// A manifest's bytes, always exactly `size` long: a shorter input is zero-extended, as the
// ROM sees zeros when it reads the mailbox past DLEN. Accessors take the Field constants of
// layout.h, which lie inside the manifest by construction, so no access can leave the buffer.
class ManifestBytes {
 public:
  ManifestBytes(ByteView input, uint32_t size);
  explicit ManifestBytes(uint32_t size) : bytes_(size, 0) {}

  uint32_t u32(const Field& f) const;
  uint16_t u16(const Field& f) const;
  uint8_t u8(const Field& f) const;
  ByteView view(const Field& f) const;

  void set_u32(const Field& f, uint32_t v);
  void set_u16(const Field& f, uint16_t v);
  void set_u8(const Field& f, uint8_t v);
  void set(const Field& f, ByteView data);  // data.size() <= f.size; the rest is zeroed

  const Bytes& bytes() const { return bytes_; }

 private:
  void check(const Field& f) const;
  Bytes bytes_;
};

}  // namespace calemu::image
