#include "image/pem.h"

#include <string_view>

namespace calemu::image::pem {

namespace {

constexpr uint8_t kSequence = 0x30, kInteger = 0x02, kOid = 0x06, kOctetString = 0x04, kBitString = 0x03;

[[noreturn]] void fail(const std::string& path, const std::string& problem) { throw ImageError(path + ": " + problem); }

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool base64_decode(std::string_view text, Bytes& out) {
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=' || c == '\r' || c == '\n' || c == ' ' || c == '\t') continue;
    const int v = base64_value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
    }
  }
  return true;
}

std::string dotted_oid(ByteView der) {
  if (der.empty()) return "";
  std::string s = std::to_string(der[0] / 40) + "." + std::to_string(der[0] % 40);
  uint64_t v = 0;
  for (size_t i = 1; i < der.size(); ++i) {
    v = (v << 7) | (der[i] & 0x7F);
    if (!(der[i] & 0x80)) {
      s += "." + std::to_string(v);
      v = 0;
    }
  }
  return s;
}

KeyAlgorithm classify(const std::string& oid) {
  if (oid == "1.2.840.10045.2.1") return KeyAlgorithm::Ecc;           // id-ecPublicKey
  if (oid == "1.2.840.113549.1.9.16.3.17") return KeyAlgorithm::Lms;  // id-alg-hss-lms-hashsig
  // id-ml-dsa-87 (FIPS 204) and the OID Caliptra's test key files carry (spec §6).
  if (oid == "2.16.840.1.101.3.4.3.19" || oid == "2.16.840.1.101.3.4.3.31") return KeyAlgorithm::MlDsa;
  if (oid == "1.2.840.113549.1.1.1") return KeyAlgorithm::Rsa;
  return KeyAlgorithm::Other;
}

// AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }
std::string algorithm_oid(ByteView alg_seq) {
  Tlv oid;
  if (!read_tlv(alg_seq, oid) || oid.tag != kOid) return "";
  return dotted_oid(oid.value);
}

void parse_pkcs8(ByteView body, KeyFile& k, const std::string& path) {
  Tlv version, alg, key;
  if (!read_tlv(body, version) || version.tag != kInteger || !read_tlv(body, alg) || alg.tag != kSequence ||
      !read_tlv(body, key) || key.tag != kOctetString)
    fail(path, "malformed PKCS#8 private key");
  k.oid = algorithm_oid(alg.value);
  k.is_private = true;
  k.key.assign(key.value.begin(), key.value.end());
}

void parse_spki(ByteView body, KeyFile& k, const std::string& path) {
  Tlv alg, bits;
  if (!read_tlv(body, alg) || alg.tag != kSequence || !read_tlv(body, bits) || bits.tag != kBitString ||
      bits.value.empty() || bits.value[0] != 0)
    fail(path, "malformed SubjectPublicKeyInfo public key");
  k.oid = algorithm_oid(alg.value);
  k.key.assign(bits.value.begin() + 1, bits.value.end());
}

}  // namespace

bool read_tlv(ByteView& in, Tlv& out) {
  if (in.size() < 2) return false;
  out.tag = in[0];
  size_t len = in[1], header = 2;
  if (len & 0x80) {
    const size_t n = len & 0x7F;
    if (n == 0 || n > 3 || in.size() < 2 + n) return false;
    len = 0;
    for (size_t i = 0; i < n; ++i) len = (len << 8) | in[2 + i];
    header += n;
  }
  if (in.size() - header < len) return false;
  out.value = in.subspan(header, len);
  in = in.subspan(header + len);
  return true;
}

bool looks_like_pem(ByteView file) {
  static constexpr std::string_view kBegin = "-----BEGIN ";
  const std::string_view text(reinterpret_cast<const char*>(file.data()), file.size());
  return text.find(kBegin) != std::string_view::npos;
}

KeyFile parse_key_file(ByteView file, const std::string& path) {
  const std::string_view text(reinterpret_cast<const char*>(file.data()), file.size());
  const size_t begin = text.find("-----BEGIN ");
  if (begin == std::string_view::npos) fail(path, "not a PEM file (no -----BEGIN line)");
  const size_t label_end = text.find("-----", begin + 11);
  if (label_end == std::string_view::npos) fail(path, "malformed PEM header");
  KeyFile k;
  k.label = std::string(text.substr(begin + 11, label_end - begin - 11));
  const size_t body_start = label_end + 5;
  const size_t end = text.find("-----END ", body_start);
  if (end == std::string_view::npos) fail(path, "PEM block has no -----END line");
  Bytes der;
  if (!base64_decode(text.substr(body_start, end - body_start), der)) fail(path, "PEM body is not base64");

  ByteView in(der);
  Tlv outer;
  if (!read_tlv(in, outer) || outer.tag != kSequence) fail(path, "PEM body is not a well-formed DER SEQUENCE (truncated?)");
  if (k.label == "EC PRIVATE KEY") {  // SEC1: OpenSSL reads it; here we only classify it
    k.algorithm = KeyAlgorithm::Ecc;
    k.is_private = true;
    return k;
  }
  if (k.label == "PRIVATE KEY") parse_pkcs8(outer.value, k, path);
  else if (k.label == "PUBLIC KEY") parse_spki(outer.value, k, path);
  else fail(path, "PEM block \"" + k.label + "\" is not a key (expected PRIVATE KEY or PUBLIC KEY)");
  k.algorithm = classify(k.oid);
  return k;
}

std::string algorithm_name(KeyAlgorithm a) {
  switch (a) {
    case KeyAlgorithm::Ecc: return "an ECC key";
    case KeyAlgorithm::Lms: return "an LMS key";
    case KeyAlgorithm::MlDsa: return "an ML-DSA key";
    case KeyAlgorithm::Rsa: return "an RSA key";
    case KeyAlgorithm::Other: break;
  }
  return "a key of unknown type";
}

}  // namespace calemu::image::pem
