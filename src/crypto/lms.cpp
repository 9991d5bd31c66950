#include "crypto/lms.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstring>
#include <memory>

#include "crypto/sha256_block.h"

namespace calemu::crypto::lms {

namespace {

using detail::Sha256;

// RFC 8554 §4.3 / §5.3 domain separators.
constexpr uint16_t kDPblc = 0x8080, kDMesg = 0x8181, kDLeaf = 0x8282, kDIntr = 0x8383;
// Our choice for the deterministic randomizer: an "index" no OTS chain can have (p <= 265).
constexpr uint16_t kRandomizerIndex = 0xfffd;
constexpr size_t kIdBytes = 16;

struct OtsParams {
  uint32_t type;
  size_t n;     // hash bytes
  unsigned w;   // Winternitz width in bits
  size_t p;     // number of chains
  unsigned ls;  // checksum left shift
};

struct Params {
  uint32_t lms_type;
  unsigned h;  // tree height; m (the tree's hash bytes) always equals ots.n here
  OtsParams ots;

  size_t n() const { return ots.n; }
  uint32_t leaves() const { return 1u << h; }
  size_t ots_signature_bytes() const { return 4 + n() * (ots.p + 1); }
  size_t signature_bytes() const { return 4 + ots_signature_bytes() + 4 + h * n(); }
  size_t public_key_bytes() const { return 8 + kIdBytes + n(); }
};

// RFC 8554 Table 1 (n = 32) and SP 800-208 §4.1 (n = 24, SHA-256/192).
std::optional<OtsParams> ots_params(uint32_t type) {
  switch (type) {
    case 1: return OtsParams{1, 32, 1, 265, 7};
    case 2: return OtsParams{2, 32, 2, 133, 6};
    case 3: return OtsParams{3, 32, 4, 67, 4};
    case 4: return OtsParams{4, 32, 8, 34, 0};
    case 5: return OtsParams{5, 24, 1, 200, 8};
    case 6: return OtsParams{6, 24, 2, 101, 6};
    case 7: return OtsParams{7, 24, 4, 51, 4};
    case 8: return OtsParams{8, 24, 8, 26, 0};
    default: return std::nullopt;
  }
}

// RFC 8554 Table 2 (types 5-9, m = 32) and SP 800-208 §4.2 (types 10-14, m = 24).
struct TreeParams { size_t m; unsigned h; };
std::optional<TreeParams> tree_params(uint32_t type) {
  if (type >= 5 && type <= 9) return TreeParams{32, 5 * (type - 4)};
  if (type >= 10 && type <= 14) return TreeParams{24, 5 * (type - 9)};
  return std::nullopt;
}

std::optional<Params> params_for(uint32_t lms_type, uint32_t ots_type) {
  const auto tree = tree_params(lms_type);
  const auto ots = ots_params(ots_type);
  // SP 800-208 §4: the tree and the OTS use the same hash function and output length.
  if (!tree || !ots || tree->m != ots->n) return std::nullopt;
  return Params{lms_type, tree->h, *ots};
}

Params checked_params(const PrivateKey& key) {
  const auto params = params_for(static_cast<uint32_t>(key.type), static_cast<uint32_t>(key.ots));
  if (!params) throw CryptoError("LMS: unknown or mismatched LMS/LM-OTS types");
  if (key.id.size() != kIdBytes) throw CryptoError("LMS: I must be 16 bytes");
  if (key.seed.size() != params->n()) throw CryptoError("LMS: SEED must be n bytes");
  return *params;
}

void put_u32(Bytes& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(v >> s));
}
void put_u16(uint8_t* p, uint16_t v) { p[0] = static_cast<uint8_t>(v >> 8); p[1] = static_cast<uint8_t>(v); }
uint8_t* append(Bytes& out, size_t n) {
  out.resize(out.size() + n);
  return out.data() + out.size() - n;
}

// Sha256 of I || u32str(r) || u16str(d), the prefix of every hash in RFC 8554.
Sha256 hash_with_prefix(ByteView id, uint32_t r, uint16_t d) {
  uint8_t head[6];
  detail::store_be32(head, r);
  put_u16(head + 4, d);
  Sha256 h;
  h.update(id).update(head, sizeof head);
  return h;
}

void finish_into(Sha256& h, uint8_t* out, size_t n) {
  const auto digest = h.finish();
  std::memcpy(out, digest.data(), n);
}

// The hashes along one Winternitz chain, H(I || u32str(q) || u16str(i) || u8str(j) || tmp)
// (RFC 8554 §4.4-4.6), are 23 + n <= 55 bytes: one padded SHA-256 block whose first 22 bytes
// stay fixed. Building that block once and compressing it directly, two chains at a time
// where they have the same length, keeps a full H15 tree (27 million such hashes) near two
// seconds at 2 GHz.
class ChainHasher {
 public:
  ChainHasher(ByteView id, uint32_t q, size_t n) : n_(n) {
    for (auto& block : blocks_) {
      std::memcpy(block, id.data(), kIdBytes);
      detail::store_be32(block + 16, q);
      block[23 + n] = 0x80;
      detail::store_be32(block + 60, static_cast<uint32_t>((23 + n) * 8));
    }
  }
  // tmp <- H(I || u32str(q) || u16str(i) || u8str(j) || tmp) for j = from .. to-1.
  void iterate(uint16_t i, uint8_t* tmp, unsigned from, unsigned to) {
    uint8_t* block = blocks_[0];
    put_u16(block + 20, i);
    for (unsigned j = from; j < to; ++j) {
      uint32_t state[8];
      load_message(block, j, tmp, state);
      detail::sha256_blocks(state, block, 1);
      store_digest(state, tmp);
    }
  }
  // The same for chains i and i + 1 over the same range of j.
  void iterate_pair(uint16_t i, uint8_t* tmp_i, uint8_t* tmp_next, unsigned from, unsigned to) {
    put_u16(blocks_[0] + 20, i);
    put_u16(blocks_[1] + 20, static_cast<uint16_t>(i + 1));
    for (unsigned j = from; j < to; ++j) {
      uint32_t state_a[8], state_b[8];
      load_message(blocks_[0], j, tmp_i, state_a);
      load_message(blocks_[1], j, tmp_next, state_b);
      detail::sha256_block_pair(state_a, blocks_[0], state_b, blocks_[1]);
      store_digest(state_a, tmp_i);
      store_digest(state_b, tmp_next);
    }
  }
  // RFC 8554 Appendix A: x_q[i] = H(I || u32str(q) || u16str(i) || u8str(0xff) || SEED).
  static constexpr unsigned kSecretJ = 0xff;

 private:
  void load_message(uint8_t* block, unsigned j, const uint8_t* tmp, uint32_t state[8]) const {
    block[22] = static_cast<uint8_t>(j);
    std::memcpy(block + 23, tmp, n_);
    std::memcpy(state, detail::kSha256Iv, sizeof detail::kSha256Iv);
  }
  void store_digest(const uint32_t state[8], uint8_t* tmp) const {
    for (size_t k = 0; k < n_ / 4; ++k) detail::store_be32(tmp + 4 * k, state[k]);
  }

  size_t n_;
  uint8_t blocks_[2][64] = {};
};

// Coef(S, i, w), RFC 8554 §3.1.3.
unsigned coef(const uint8_t* s, size_t i, unsigned w) {
  const unsigned mask = (1u << w) - 1;
  return mask & (s[i * w / 8] >> (8 - (w * (i % (8 / w)) + w)));
}

// Q || Cksm(Q), RFC 8554 §4.4.
Bytes with_checksum(const uint8_t* q_hash, const OtsParams& ots) {
  const unsigned max_digit = (1u << ots.w) - 1;
  unsigned sum = 0;
  for (size_t i = 0; i < ots.n * 8 / ots.w; ++i) sum += max_digit - coef(q_hash, i, ots.w);
  Bytes out(q_hash, q_hash + ots.n);
  out.resize(ots.n + 2);
  put_u16(out.data() + ots.n, static_cast<uint16_t>(sum << ots.ls));
  return out;
}

// Q = H(I || u32str(q) || u16str(D_MESG) || C || message), RFC 8554 §4.5 / Algorithm 4b.
Bytes message_digits(const Params& params, ByteView id, uint32_t q, const uint8_t* c, ByteView message) {
  Sha256 h = hash_with_prefix(id, q, kDMesg);
  h.update(c, params.n()).update(message);
  uint8_t q_hash[32];
  finish_into(h, q_hash, params.n());
  return with_checksum(q_hash, params.ots);
}

// The OTS public key hash K of leaf q (RFC 8554 §4.3): every chain run to its end.
void ots_public_key(const Params& params, ByteView id, ByteView seed, uint32_t q, uint8_t* k_out) {
  const size_t n = params.n(), p = params.ots.p;
  const unsigned chain_end = (1u << params.ots.w) - 1;
  ChainHasher chain(id, q, n);
  uint8_t y[265 * 32];  // p * n at most
  for (size_t i = 0; i < p; i += 2) {
    uint8_t* a = y + i * n;
    std::memcpy(a, seed.data(), n);
    if (i + 1 < p) {
      uint8_t* b = a + n;
      std::memcpy(b, seed.data(), n);
      const auto idx = static_cast<uint16_t>(i);
      chain.iterate_pair(idx, a, b, ChainHasher::kSecretJ, ChainHasher::kSecretJ + 1);
      chain.iterate_pair(idx, a, b, 0, chain_end);
    } else {
      chain.iterate(static_cast<uint16_t>(i), a, ChainHasher::kSecretJ, ChainHasher::kSecretJ + 1);
      chain.iterate(static_cast<uint16_t>(i), a, 0, chain_end);
    }
  }
  Sha256 k = hash_with_prefix(id, q, kDPblc);
  k.update(y, p * n);
  finish_into(k, k_out, n);
}

Bytes ots_sign(const Params& params, const PrivateKey& key, uint32_t q, ByteView c, ByteView message) {
  const size_t n = params.n();
  const Bytes digits = message_digits(params, key.id, q, c.data(), message);
  Bytes sig;
  sig.reserve(params.ots_signature_bytes());
  put_u32(sig, params.ots.type);
  sig.insert(sig.end(), c.begin(), c.end());
  ChainHasher chain(key.id, q, n);
  for (size_t i = 0; i < params.ots.p; ++i) {
    uint8_t* y = append(sig, n);
    std::memcpy(y, key.seed.data(), n);
    chain.iterate(static_cast<uint16_t>(i), y, ChainHasher::kSecretJ, ChainHasher::kSecretJ + 1);
    chain.iterate(static_cast<uint16_t>(i), y, 0, coef(digits.data(), i, params.ots.w));
  }
  return sig;
}

Bytes derived_randomizer(const Params& params, const PrivateKey& key, uint32_t q, ByteView message) {
  Sha256 h = hash_with_prefix(key.id, q, kRandomizerIndex);
  const uint8_t marker = 0xff;
  h.update(&marker, 1).update(key.seed).update(message);
  Bytes c(params.n());
  finish_into(h, c.data(), c.size());
  return c;
}

uint32_t get_u32(ByteView b, size_t off) { return detail::load_be32(b.data() + off); }

}  // namespace

// ---- Signer ----

Signer::Signer(PrivateKey key, TreeGeneration generation) : key_(std::move(key)), generation_(generation) {
  const Params params = checked_params(key_);
  const size_t n = params.n();
  const uint32_t leaves = params.leaves();
  nodes_.assign(size_t{2} * leaves * n, 0);
  // Caliptra's generator (image/crypto: LMS_TREE_GEN_SUPPORTED_FULL_HEIGHT = 10) fills every
  // leaf of trees up to height 10 and only leaf 5 above that.
  const bool sparse = generation_ == TreeGeneration::CaliptraSparse && params.h > 10;
  uint8_t k[32] = {};
  for (uint32_t q = 0; q < leaves; ++q) {
    if (!sparse || q == kCaliptraSparseLeaf)
      ots_public_key(params, key_.id, key_.seed, q, k);
    else
      std::memset(k, 0, n);
    const uint32_t r = leaves + q;
    Sha256 leaf = hash_with_prefix(key_.id, r, kDLeaf);
    leaf.update(k, n);
    finish_into(leaf, &nodes_[r * n], n);
  }
  for (uint32_t r = leaves - 1; r >= 1; --r) {
    Sha256 node = hash_with_prefix(key_.id, r, kDIntr);
    node.update(&nodes_[2 * r * n], 2 * n);
    finish_into(node, &nodes_[r * n], n);
  }
}

Bytes Signer::public_key() const {
  const Params params = checked_params(key_);
  Bytes pub;
  put_u32(pub, params.lms_type);
  put_u32(pub, params.ots.type);
  pub.insert(pub.end(), key_.id.begin(), key_.id.end());
  pub.insert(pub.end(), nodes_.begin() + static_cast<long>(params.n()),
             nodes_.begin() + static_cast<long>(2 * params.n()));
  return pub;
}

Bytes Signer::sign(uint32_t q, ByteView message, std::optional<Bytes> randomizer) const {
  const Params params = checked_params(key_);
  const size_t n = params.n();
  if (q >= params.leaves()) throw CryptoError("LMS: q out of range for the tree height");
  if (generation_ == TreeGeneration::CaliptraSparse && params.h > 10 && q != kCaliptraSparseLeaf)
    throw CryptoError("LMS: a Caliptra sparse tree can only sign leaf 5");
  if (randomizer && randomizer->size() != n) throw CryptoError("LMS: the randomizer C must be n bytes");
  const Bytes c = randomizer ? *randomizer : derived_randomizer(params, key_, q, message);

  // RFC 8554 §5.4.1.
  Bytes sig;
  sig.reserve(params.signature_bytes());
  put_u32(sig, q);
  const Bytes ots = ots_sign(params, key_, q, c, message);
  sig.insert(sig.end(), ots.begin(), ots.end());
  put_u32(sig, params.lms_type);
  for (uint32_t node = params.leaves() + q; node > 1; node >>= 1) {
    const uint8_t* sibling = &nodes_[(node ^ 1) * n];
    sig.insert(sig.end(), sibling, sibling + n);
  }
  return sig;
}

Bytes public_key(const PrivateKey& key) { return Signer(key).public_key(); }

Bytes sign(const PrivateKey& key, uint32_t q, ByteView message, std::optional<Bytes> randomizer) {
  const Params params = checked_params(key);
  if (q >= params.leaves()) throw CryptoError("LMS: q out of range for the tree height");
  return Signer(key).sign(q, message, std::move(randomizer));
}

std::optional<size_t> public_key_size(uint32_t lms_type, uint32_t ots_type) {
  const auto params = params_for(lms_type, ots_type);
  return params ? std::optional(params->public_key_bytes()) : std::nullopt;
}

std::optional<size_t> signature_size(uint32_t lms_type, uint32_t ots_type) {
  const auto params = params_for(lms_type, ots_type);
  return params ? std::optional(params->signature_bytes()) : std::nullopt;
}

// ---- Verification, RFC 8554 §5.4.2 (Algorithms 6a, 6b) and §4.6 (Algorithm 4b) ----

bool verify(ByteView public_key, ByteView message, ByteView signature) {
  if (public_key.size() < 8) throw CryptoError("LMS: public key too short");
  const auto found = params_for(get_u32(public_key, 0), get_u32(public_key, 4));
  if (!found) throw CryptoError("LMS: public key with unknown or mismatched LMS/LM-OTS types");
  const Params& params = *found;
  if (public_key.size() != params.public_key_bytes()) throw CryptoError("LMS: public key has the wrong length");
  const size_t n = params.n();
  const ByteView id = public_key.subspan(8, kIdBytes);
  const ByteView root = public_key.subspan(8 + kIdBytes, n);

  if (signature.size() != params.signature_bytes()) return false;
  const uint32_t q = get_u32(signature, 0);
  if (get_u32(signature, 4) != params.ots.type) return false;
  if (get_u32(signature, 4 + params.ots_signature_bytes()) != params.lms_type) return false;
  if (q >= params.leaves()) return false;

  // Algorithm 4b: the candidate OTS public key.
  const uint8_t* c = signature.data() + 8;
  const uint8_t* y = c + n;
  const Bytes digits = message_digits(params, id, q, c, message);
  ChainHasher chain(id, q, n);
  Sha256 k = hash_with_prefix(id, q, kDPblc);
  uint8_t tmp[32];
  for (size_t i = 0; i < params.ots.p; ++i) {
    std::memcpy(tmp, y + i * n, n);
    chain.iterate(static_cast<uint16_t>(i), tmp, coef(digits.data(), i, params.ots.w), (1u << params.ots.w) - 1);
    k.update(tmp, n);
  }
  finish_into(k, tmp, n);

  // Algorithm 6b: up the tree along the authentication path.
  uint32_t node = params.leaves() + q;
  Sha256 leaf = hash_with_prefix(id, node, kDLeaf);
  leaf.update(tmp, n);
  finish_into(leaf, tmp, n);
  const uint8_t* path = signature.data() + 4 + params.ots_signature_bytes() + 4;
  for (; node > 1; node >>= 1, path += n) {
    Sha256 parent = hash_with_prefix(id, node / 2, kDIntr);
    if (node & 1)
      parent.update(path, n).update(tmp, n);
    else
      parent.update(tmp, n).update(path, n);
    finish_into(parent, tmp, n);
  }
  return std::memcmp(tmp, root.data(), n) == 0;
}

// ---- PEM files ----

namespace {

constexpr const char* kHssLmsOid = "1.2.840.113549.1.9.16.3.17";  // id-alg-hss-lms-hashsig, RFC 8708

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const { Free(p); }
};

[[noreturn]] void pem_error(const std::string& path, const std::string& problem) {
  ERR_clear_error();
  throw CryptoError(path + ": " + problem);
}

// The DER body of the file's first PEM block, which must have the given label.
Bytes read_pem_der(const std::string& path, const std::string& label) {
  std::unique_ptr<BIO, Deleter<BIO_free>> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) pem_error(path, "cannot open");
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;
  if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) pem_error(path, "not a PEM file");
  const std::string found = name;
  Bytes der(data, data + len);
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(data);
  if (found != label) pem_error(path, "PEM block is \"" + found + "\", expected \"" + label + "\"");
  return der;
}

void require_lms_oid(const ASN1_OBJECT* oid, const std::string& path) {
  char text[80] = {};
  OBJ_obj2txt(text, sizeof text, oid, 1);
  if (std::string(text) != kHssLmsOid) pem_error(path, std::string("algorithm ") + text + " is not HSS/LMS");
}

}  // namespace

PrivateKey load_private_pem(const std::string& path) {
  const Bytes der = read_pem_der(path, "PRIVATE KEY");
  const unsigned char* p = der.data();
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, Deleter<PKCS8_PRIV_KEY_INFO_free>> p8(
      d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size())));
  if (!p8) pem_error(path, "not a PKCS#8 private key");
  const ASN1_OBJECT* oid = nullptr;
  const unsigned char* raw = nullptr;
  int raw_len = 0;
  if (PKCS8_pkey_get0(&oid, &raw, &raw_len, nullptr, p8.get()) != 1) pem_error(path, "unreadable PKCS#8 key");
  require_lms_oid(oid, path);
  const ByteView body(raw, static_cast<size_t>(raw_len));
  if (body.size() < 8) pem_error(path, "LMS private key too short");
  const auto params = params_for(get_u32(body, 0), get_u32(body, 4));
  if (!params) pem_error(path, "unknown or mismatched LMS/LM-OTS types");
  if (body.size() != 8 + kIdBytes + params->n()) pem_error(path, "LMS private key has the wrong length");
  return PrivateKey{static_cast<LmsType>(params->lms_type), static_cast<OtsType>(params->ots.type),
                    Bytes(body.begin() + 8, body.begin() + 8 + kIdBytes), Bytes(body.begin() + 8 + kIdBytes, body.end())};
}

Bytes load_public_pem(const std::string& path) {
  const Bytes der = read_pem_der(path, "PUBLIC KEY");
  const unsigned char* p = der.data();
  std::unique_ptr<X509_PUBKEY, Deleter<X509_PUBKEY_free>> spki(d2i_X509_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!spki) pem_error(path, "not a SubjectPublicKeyInfo");
  ASN1_OBJECT* oid = nullptr;
  const unsigned char* raw = nullptr;
  int raw_len = 0;
  if (X509_PUBKEY_get0_param(&oid, &raw, &raw_len, nullptr, spki.get()) != 1) pem_error(path, "unreadable public key");
  require_lms_oid(oid, path);
  const Bytes pub(raw, raw + raw_len);
  if (pub.size() < 8) pem_error(path, "LMS public key too short");
  const auto params = params_for(get_u32(pub, 0), get_u32(pub, 4));
  if (!params) pem_error(path, "unknown or mismatched LMS/LM-OTS types");
  if (pub.size() != params->public_key_bytes()) pem_error(path, "LMS public key has the wrong length");
  return pub;
}

}  // namespace calemu::crypto::lms
