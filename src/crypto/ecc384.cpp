#include "crypto/ecc384.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>

#include <memory>

#include "crypto/sha.h"

namespace calemu::crypto {

namespace {

constexpr size_t kScalarBytes = 48;

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const { Free(p); }
};
using Bn = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using BnCtx = std::unique_ptr<BN_CTX, Deleter<BN_CTX_free>>;
using Group = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP_free>>;
using Point = std::unique_ptr<EC_POINT, Deleter<EC_POINT_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO_free>>;
using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;

void check(int ok, const char* what) {
  if (ok != 1) {
    ERR_clear_error();
    throw CryptoError(std::string("P-384: ") + what + " failed");
  }
}

Bn new_bn() {
  Bn bn(BN_new());
  if (!bn) throw CryptoError("P-384: out of memory");
  return bn;
}

Bn bn_from(ByteView be) {
  Bn bn(BN_bin2bn(be.data(), static_cast<int>(be.size()), nullptr));
  if (!bn) throw CryptoError("P-384: out of memory");
  return bn;
}

Bytes bn_to_48(const BIGNUM* bn) {
  Bytes out(kScalarBytes);
  check(BN_bn2binpad(bn, out.data(), static_cast<int>(out.size())) == static_cast<int>(out.size()),
        "BN_bn2binpad");
  return out;
}

// Everything one P-384 operation needs; the group is built per operation, which costs a few
// microseconds and keeps the library free of shared mutable state.
struct Curve {
  Group group{EC_GROUP_new_by_curve_name(NID_secp384r1)};
  BnCtx ctx{BN_CTX_new()};
  const BIGNUM* n = nullptr;
  Bn p = new_bn();

  Curve() {
    if (!group || !ctx) throw CryptoError("P-384: cannot create the curve");
    n = EC_GROUP_get0_order(group.get());
    check(EC_GROUP_get_curve(group.get(), p.get(), nullptr, nullptr, ctx.get()), "EC_GROUP_get_curve");
  }
  Point new_point() const {
    Point pt(EC_POINT_new(group.get()));
    if (!pt) throw CryptoError("P-384: out of memory");
    return pt;
  }
  bool in_scalar_range(const BIGNUM* k) const { return !BN_is_zero(k) && !BN_is_negative(k) && BN_cmp(k, n) < 0; }

  // nullptr when (x, y) is not a point of the curve (or a coordinate is not reduced mod p).
  Point point_from(const EccPublicKey& pub) const {
    if (pub.x.size() != kScalarBytes || pub.y.size() != kScalarBytes) return nullptr;
    const Bn x = bn_from(pub.x), y = bn_from(pub.y);
    if (BN_cmp(x.get(), p.get()) >= 0 || BN_cmp(y.get(), p.get()) >= 0) return nullptr;
    Point pt = new_point();
    if (EC_POINT_set_affine_coordinates(group.get(), pt.get(), x.get(), y.get(), ctx.get()) != 1 ||
        EC_POINT_is_on_curve(group.get(), pt.get(), ctx.get()) != 1) {
      ERR_clear_error();
      return nullptr;
    }
    return pt;
  }
  // Affine x of a point, or nullopt at infinity.
  std::optional<Bn> affine_x(const EC_POINT* pt, BIGNUM* y_out = nullptr) const {
    if (EC_POINT_is_at_infinity(group.get(), pt)) return std::nullopt;
    Bn x = new_bn();
    check(EC_POINT_get_affine_coordinates(group.get(), pt, x.get(), y_out, ctx.get()), "get_affine_coordinates");
    return x;
  }
  Bn private_scalar(ByteView priv48) const {
    if (priv48.size() != kScalarBytes) throw CryptoError("P-384: private key must be 48 bytes");
    Bn d = bn_from(priv48);
    if (!in_scalar_range(d.get())) throw CryptoError("P-384: private key not in [1, n-1]");
    return d;
  }
};

void require_digest48(ByteView digest) {
  if (digest.size() != kScalarBytes) throw CryptoError("P-384: digest must be 48 bytes (SHA-384)");
}

}  // namespace

EccPublicKey ecc384_public_from_private(ByteView priv48) {
  const Curve c;
  const Bn d = c.private_scalar(priv48);
  Point q = c.new_point();
  check(EC_POINT_mul(c.group.get(), q.get(), d.get(), nullptr, nullptr, c.ctx.get()), "EC_POINT_mul");
  Bn y = new_bn();
  const Bn x = *c.affine_x(q.get(), y.get());
  return {bn_to_48(x.get()), bn_to_48(y.get())};
}

EccSignature ecc384_sign_digest(ByteView priv48, ByteView digest48) {
  require_digest48(digest48);
  const Curve c;
  const Bn d = c.private_scalar(priv48);
  // qlen = hlen = 384, so bits2int(h) is the digest as an integer (RFC 6979 §2.3.2);
  // bits2octets(h) reduces it mod n (§2.3.4).
  Bn z = bn_from(digest48);
  check(BN_nnmod(z.get(), z.get(), c.n, c.ctx.get()), "BN_nnmod");
  // RFC 6979 §3.3: nonce generation is HMAC_DRBG instantiated with int2octets(x) as
  // entropy and bits2octets(h) as nonce; each rejected candidate is followed by exactly the
  // K/V update a DRBG generate call ends with (§3.2 step h.3).
  HmacDrbg384 drbg(priv48, bn_to_48(z.get()));
  for (;;) {
    const Bytes candidate = drbg.generate(kScalarBytes);
    Bn k = bn_from(candidate);
    if (!c.in_scalar_range(k.get())) continue;
    BN_set_flags(k.get(), BN_FLG_CONSTTIME);
    Point kg = c.new_point();
    check(EC_POINT_mul(c.group.get(), kg.get(), k.get(), nullptr, nullptr, c.ctx.get()), "EC_POINT_mul");
    Bn r = std::move(*c.affine_x(kg.get()));
    check(BN_nnmod(r.get(), r.get(), c.n, c.ctx.get()), "BN_nnmod");
    if (BN_is_zero(r.get())) continue;
    // s = k^-1 (z + r d) mod n
    Bn s = new_bn(), kinv = new_bn();
    check(BN_mod_mul(s.get(), r.get(), d.get(), c.n, c.ctx.get()), "BN_mod_mul");
    check(BN_mod_add(s.get(), s.get(), z.get(), c.n, c.ctx.get()), "BN_mod_add");
    if (!BN_mod_inverse(kinv.get(), k.get(), c.n, c.ctx.get())) check(0, "BN_mod_inverse");
    check(BN_mod_mul(s.get(), s.get(), kinv.get(), c.n, c.ctx.get()), "BN_mod_mul");
    if (BN_is_zero(s.get())) continue;
    return {bn_to_48(r.get()), bn_to_48(s.get())};
  }
}

bool ecc384_verify_digest(const EccPublicKey& pub, ByteView digest48, const EccSignature& sig) {
  require_digest48(digest48);
  if (sig.r.size() != kScalarBytes || sig.s.size() != kScalarBytes) return false;
  const Curve c;
  const Point q = c.point_from(pub);
  if (!q) return false;
  const Bn r = bn_from(sig.r), s = bn_from(sig.s);
  if (!c.in_scalar_range(r.get()) || !c.in_scalar_range(s.get())) return false;
  // FIPS 186-5 §6.4.2: u1 = z s^-1, u2 = r s^-1, R = u1 G + u2 Q, accept iff R.x mod n == r.
  Bn z = bn_from(digest48), w = new_bn(), u1 = new_bn(), u2 = new_bn();
  check(BN_nnmod(z.get(), z.get(), c.n, c.ctx.get()), "BN_nnmod");
  if (!BN_mod_inverse(w.get(), s.get(), c.n, c.ctx.get())) check(0, "BN_mod_inverse");
  check(BN_mod_mul(u1.get(), z.get(), w.get(), c.n, c.ctx.get()), "BN_mod_mul");
  check(BN_mod_mul(u2.get(), r.get(), w.get(), c.n, c.ctx.get()), "BN_mod_mul");
  Point rp = c.new_point();
  check(EC_POINT_mul(c.group.get(), rp.get(), u1.get(), q.get(), u2.get(), c.ctx.get()), "EC_POINT_mul");
  std::optional<Bn> x = c.affine_x(rp.get());
  if (!x) return false;
  check(BN_nnmod(x->get(), x->get(), c.n, c.ctx.get()), "BN_nnmod");
  return BN_cmp(x->get(), r.get()) == 0;
}

std::optional<Bytes> ecc384_ecdh(ByteView priv48, const EccPublicKey& pub) {
  const Curve c;
  const Point q = c.point_from(pub);
  if (!q) return std::nullopt;
  const Bn d = c.private_scalar(priv48);
  Point shared = c.new_point();
  check(EC_POINT_mul(c.group.get(), shared.get(), nullptr, q.get(), d.get(), c.ctx.get()), "EC_POINT_mul");
  std::optional<Bn> x = c.affine_x(shared.get());
  if (!x) return std::nullopt;
  return bn_to_48(x->get());
}

bool ecc384_on_curve(const EccPublicKey& pub) { return Curve().point_from(pub) != nullptr; }

// ---- PEM ----

namespace {

[[noreturn]] void pem_error(const std::string& path, const std::string& problem) {
  ERR_clear_error();
  throw CryptoError(path + ": " + problem);
}

Bio open_pem(const std::string& path) {
  Bio bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) pem_error(path, "cannot open");
  return bio;
}

void require_p384(const EVP_PKEY* pkey, const std::string& path) {
  if (!EVP_PKEY_is_a(pkey, "EC"))
    pem_error(path, std::string("not an EC key (") + EVP_PKEY_get0_type_name(pkey) + ")");
  char group[64] = {};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) != 1)
    pem_error(path, "EC key without a named curve");
  if (std::string(group) != "secp384r1") pem_error(path, std::string("EC key on ") + group + ", not P-384");
}

Bytes bn_param_48(const EVP_PKEY* pkey, const char* name, const std::string& path) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) pem_error(path, std::string("key has no ") + name);
  const Bn bn(raw);
  if (BN_num_bytes(bn.get()) > static_cast<int>(kScalarBytes)) pem_error(path, std::string(name) + " too large");
  return bn_to_48(bn.get());
}

Pkey read_private(const std::string& path) {
  Bio bio = open_pem(path);
  Pkey pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) pem_error(path, "no PEM private key (expected \"EC PRIVATE KEY\" or \"PRIVATE KEY\")");
  require_p384(pkey.get(), path);
  return pkey;
}

}  // namespace

EccKeyPair ecc384_load_private_pem(const std::string& path) {
  const Pkey pkey = read_private(path);
  EccKeyPair kp;
  kp.priv = bn_param_48(pkey.get(), OSSL_PKEY_PARAM_PRIV_KEY, path);
  try {
    kp.pub = ecc384_public_from_private(kp.priv);
  } catch (const CryptoError& e) {
    pem_error(path, e.what());
  }
  return kp;
}

EccPublicKey ecc384_load_public_pem(const std::string& path) {
  Pkey pkey;
  {
    Bio bio = open_pem(path);
    pkey.reset(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  }
  if (!pkey) {
    ERR_clear_error();
    return ecc384_load_private_pem(path).pub;  // a private key file also names its public key
  }
  require_p384(pkey.get(), path);
  EccPublicKey pub{bn_param_48(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, path),
                   bn_param_48(pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y, path)};
  if (!ecc384_on_curve(pub)) pem_error(path, "public key is not a point of P-384");
  return pub;
}

// ---- HMAC_DRBG, SP 800-90A Rev. 1 §10.1.2 ----

namespace {
constexpr size_t kOutlen = 48;

Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// HMAC_DRBG_Update (§10.1.2.2).
void drbg_update(Bytes& k, Bytes& v, ByteView provided) {
  static constexpr uint8_t kZero = 0x00, kOne = 0x01;
  k = hmac_sha384(k, concat({v, {&kZero, 1}, provided}));
  v = hmac_sha384(k, v);
  if (provided.empty()) return;
  k = hmac_sha384(k, concat({v, {&kOne, 1}, provided}));
  v = hmac_sha384(k, v);
}
}  // namespace

HmacDrbg384::HmacDrbg384(ByteView entropy, ByteView nonce, ByteView personalization)
    : k_(kOutlen, 0x00), v_(kOutlen, 0x01) {
  drbg_update(k_, v_, concat({entropy, nonce, personalization}));
}

Bytes HmacDrbg384::generate(size_t len) {
  Bytes out;
  out.reserve(len + kOutlen);
  while (out.size() < len) {
    v_ = hmac_sha384(k_, v_);
    out.insert(out.end(), v_.begin(), v_.end());
  }
  out.resize(len);
  drbg_update(k_, v_, {});
  return out;
}

}  // namespace calemu::crypto
