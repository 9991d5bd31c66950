#include "image/types.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace calemu::image {

std::string_view generation_name(Generation gen) { return gen == Generation::k1x ? "1.x" : "2.x"; }

std::string_view pqc_name(PqcKeyType t) { return t == PqcKeyType::Lms ? "LMS" : "ML-DSA-87"; }

std::optional<PqcKeyType> pqc_from_byte(uint32_t v) {
  if (v == static_cast<uint32_t>(PqcKeyType::MlDsa)) return PqcKeyType::MlDsa;
  if (v == static_cast<uint32_t>(PqcKeyType::Lms)) return PqcKeyType::Lms;
  return std::nullopt;
}

DigestWords digest_words(ByteView d) {
  DigestWords w{};
  for (size_t i = 0; i < w.size() && 4 * i + 3 < d.size(); ++i)
    w[i] = (uint32_t{d[4 * i]} << 24) | (uint32_t{d[4 * i + 1]} << 16) | (uint32_t{d[4 * i + 2]} << 8) | d[4 * i + 3];
  return w;
}

Bytes digest_bytes(const DigestWords& words) {
  Bytes b;
  for (uint32_t w : words)
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(w >> s));
  return b;
}

bool is_zero(const DigestWords& words) {
  for (uint32_t w : words)
    if (w) return false;
  return true;
}

std::string words_hex(const DigestWords& words) {
  std::string s;
  char buf[12];
  for (size_t i = 0; i < words.size(); ++i) {
    std::snprintf(buf, sizeof buf, i ? " %08x" : "%08x", words[i]);
    s += buf;
  }
  return s;
}

std::optional<DigestWords> parse_digest_words(std::string_view text) {
  std::string digits;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '0' && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X')) { ++i; continue; }
    if (c == ' ' || c == ',' || c == '_' || c == ':' || c == '\t') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    digits += c;
  }
  if (digits.size() != 96) return std::nullopt;
  DigestWords w{};
  for (size_t i = 0; i < 12; ++i) w[i] = static_cast<uint32_t>(std::stoul(digits.substr(8 * i, 8), nullptr, 16));
  return w;
}

Bytes hw_format(ByteView bytes) {
  Bytes out(bytes.begin(), bytes.end());
  for (size_t i = 0; i + 4 <= out.size(); i += 4) {
    std::swap(out[i], out[i + 3]);
    std::swap(out[i + 1], out[i + 2]);
  }
  return out;
}

std::string hex(ByteView b) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(2 * b.size());
  for (uint8_t v : b) {
    s += digits[v >> 4];
    s += digits[v & 15];
  }
  return s;
}

std::string hex32(uint32_t v) {
  char buf[12];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

uint32_t load_le32(ByteView b, size_t o) {
  return uint32_t{b[o]} | (uint32_t{b[o + 1]} << 8) | (uint32_t{b[o + 2]} << 16) | (uint32_t{b[o + 3]} << 24);
}

uint16_t load_le16(ByteView b, size_t o) { return static_cast<uint16_t>(b[o] | (b[o + 1] << 8)); }

void store_le32(Bytes& b, size_t o, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[o + i] = static_cast<uint8_t>(v >> (8 * i));
}

ManifestBytes::ManifestBytes(ByteView input, uint32_t size) : bytes_(size, 0) {
  std::copy_n(input.begin(), std::min<size_t>(input.size(), size), bytes_.begin());
}

void ManifestBytes::check(const Field& f) const {
  if (f.end() > bytes_.size())
    throw std::logic_error(std::string("field ") + f.name + " lies outside a " + std::to_string(bytes_.size()) +
                           "-byte manifest");
}

uint32_t ManifestBytes::u32(const Field& f) const { check(f); return load_le32(bytes_, f.offset); }
uint16_t ManifestBytes::u16(const Field& f) const { check(f); return load_le16(bytes_, f.offset); }
uint8_t ManifestBytes::u8(const Field& f) const { check(f); return bytes_[f.offset]; }
ByteView ManifestBytes::view(const Field& f) const { check(f); return ByteView(bytes_).subspan(f.offset, f.size); }

void ManifestBytes::set_u32(const Field& f, uint32_t v) { check(f); store_le32(bytes_, f.offset, v); }
void ManifestBytes::set_u16(const Field& f, uint16_t v) {
  check(f);
  bytes_[f.offset] = static_cast<uint8_t>(v);
  bytes_[f.offset + 1] = static_cast<uint8_t>(v >> 8);
}
void ManifestBytes::set_u8(const Field& f, uint8_t v) { check(f); bytes_[f.offset] = v; }

void ManifestBytes::set(const Field& f, ByteView data) {
  check(f);
  if (data.size() > f.size)
    throw std::logic_error(std::string("value for ") + f.name + " is " + std::to_string(data.size()) +
                           " bytes, the field holds " + std::to_string(f.size));
  std::copy(data.begin(), data.end(), bytes_.begin() + f.offset);
  std::fill(bytes_.begin() + f.offset + data.size(), bytes_.begin() + f.end(), 0);
}

}  // namespace calemu::image
