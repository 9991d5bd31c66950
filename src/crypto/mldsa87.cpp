#include "crypto/mldsa87.h"

#include <array>
#include <cstring>
#include <memory>

#include "crypto/keccak.h"

namespace calemu::crypto::mldsa87 {

namespace {

using detail::KeccakSponge;

// FIPS 204 §4 Table 1, ML-DSA-87.
constexpr int32_t kQ = 8380417;
constexpr int kN = 256;
constexpr int kK = 8, kL = 7;
constexpr int32_t kEta = 2, kTau = 60, kOmega = 75, kD = 13;
constexpr int32_t kGamma1 = 1 << 19;
constexpr int32_t kGamma2 = (kQ - 1) / 32;
constexpr int32_t kBeta = kTau * kEta;
constexpr size_t kCTildeBytes = 64;  // λ/4, λ = 256

// Packed polynomial sizes: 256 coefficients of 10 (t1), 3 (s1, s2), 13 (t0), 20 (z), 4 (w1) bits.
constexpr unsigned kT1Bits = 10, kEtaBits = 3, kT0Bits = 13, kZBits = 20, kW1Bits = 4;
constexpr size_t packed_bytes(unsigned bits) { return kN * bits / 8; }
static_assert(32 + kK * packed_bytes(kT1Bits) == kPublicKeyBytes);
static_assert(128 + (kK + kL) * packed_bytes(kEtaBits) + kK * packed_bytes(kT0Bits) == kSecretKeyBytes);
static_assert(kCTildeBytes + kL * packed_bytes(kZBits) + kOmega + kK == kSignatureBytes);

using Poly = std::array<int32_t, kN>;  // coefficients in [0, q)
template <size_t M>
using Vec = std::array<Poly, M>;
using Matrix = std::array<Vec<kL>, kK>;

// ---- Arithmetic mod q without secret-dependent branches ----
// Division and remainder by the constant q compile to multiplications and shifts.

int32_t mul(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b) % kQ);
}
int32_t add(int32_t a, int32_t b) {
  const int32_t s = a + b - kQ;
  return s + ((s >> 31) & kQ);
}
int32_t sub(int32_t a, int32_t b) {
  const int32_t d = a - b;
  return d + ((d >> 31) & kQ);
}
int32_t from_signed(int32_t x) { return x + ((x >> 31) & kQ); }  // x in (-q, q)
int32_t centered(int32_t a) { return a - ((((kQ - 1) / 2 - a) >> 31) & kQ); }  // a mod± q
int32_t abs_centered(int32_t a) {
  const int32_t c = centered(a), sign = c >> 31;
  return (c ^ sign) - sign;
}

// ζ^BitRev8(k) mod q with ζ = 1753 (FIPS 204 Appendix B).
constexpr std::array<int32_t, kN> make_zetas() {
  std::array<int32_t, kN> z{};
  for (int k = 0; k < kN; ++k) {
    int e = 0;
    for (int b = 0; b < 8; ++b) e |= ((k >> b) & 1) << (7 - b);
    uint64_t r = 1, base = 1753;
    for (; e; e >>= 1, base = base * base % kQ)
      if (e & 1) r = r * base % kQ;
    z[static_cast<size_t>(k)] = static_cast<int32_t>(r);
  }
  return z;
}
constexpr std::array<int32_t, kN> kZetas = make_zetas();

// FIPS 204 Algorithm 41.
void ntt(Poly& w) {
  int m = 0;
  for (int len = 128; len >= 1; len /= 2)
    for (int start = 0; start < kN; start += 2 * len) {
      const int32_t z = kZetas[static_cast<size_t>(++m)];
      for (int j = start; j < start + len; ++j) {
        const int32_t t = mul(z, w[j + len]);
        w[j + len] = sub(w[j], t);
        w[j] = add(w[j], t);
      }
    }
}

// FIPS 204 Algorithm 42.
void inv_ntt(Poly& w) {
  int m = kN;
  for (int len = 1; len < kN; len *= 2)
    for (int start = 0; start < kN; start += 2 * len) {
      const int32_t z = kQ - kZetas[static_cast<size_t>(--m)];
      for (int j = start; j < start + len; ++j) {
        const int32_t t = w[j];
        w[j] = add(t, w[j + len]);
        w[j + len] = mul(z, sub(t, w[j + len]));
      }
    }
  constexpr int32_t kInv256 = 8347681;  // 256^-1 mod q
  for (int32_t& c : w) c = mul(c, kInv256);
}

template <size_t M>
void ntt_all(Vec<M>& v) {
  for (Poly& p : v) ntt(p);
}

Poly pointwise(const Poly& a, const Poly& b) {
  Poly r;
  for (int i = 0; i < kN; ++i) r[i] = mul(a[i], b[i]);
  return r;
}

void add_to(Poly& acc, const Poly& b) {
  for (int i = 0; i < kN; ++i) acc[i] = add(acc[i], b[i]);
}

// NTT^-1(Â ∘ v̂) for v̂ in the NTT domain.
Vec<kK> matrix_times(const Matrix& a, const Vec<kL>& v_hat) {
  Vec<kK> out;
  for (int i = 0; i < kK; ++i) {
    out[i] = pointwise(a[i][0], v_hat[0]);
    for (int j = 1; j < kL; ++j) add_to(out[i], pointwise(a[i][j], v_hat[j]));
    inv_ntt(out[i]);
  }
  return out;
}

// NTT^-1(ĉ ∘ v̂) for each polynomial of v̂.
template <size_t M>
Vec<M> scalar_times(const Poly& c_hat, const Vec<M>& v_hat) {
  Vec<M> out;
  for (size_t i = 0; i < M; ++i) {
    out[i] = pointwise(c_hat, v_hat[i]);
    inv_ntt(out[i]);
  }
  return out;
}

// Whether any coefficient has |centered value| >= bound, looking at all of them: only the
// verdict, which FIPS 204's rejection loop reveals anyway, depends on the secret.
template <size_t M>
bool any_at_least(const Vec<M>& v, int32_t bound) {
  int32_t flags = 0;
  for (const Poly& p : v)
    for (int32_t c : p) flags |= (bound - 1 - abs_centered(c));
  return flags < 0;
}

// ---- Rounding (FIPS 204 §7.4) ----

struct Decomposed {
  int32_t r1, r0;
};

// Algorithm 36, branch-free: r0 = r mod± 2γ2 and r1 = (r - r0) / 2γ2, with the r - r0 = q - 1
// case folded to r1 = 0, r0 - 1.
Decomposed decompose(int32_t r) {
  constexpr int32_t kAlpha = 2 * kGamma2;
  int32_t r0 = static_cast<int32_t>(static_cast<uint32_t>(r) % kAlpha);
  r0 -= ((kGamma2 - r0) >> 31) & kAlpha;
  const int32_t r1 = static_cast<int32_t>(static_cast<uint32_t>(r - r0) / kAlpha);  // 0 .. 16
  const int32_t at_edge = static_cast<int32_t>((static_cast<uint32_t>(r1 ^ 16) - 1) >> 31);
  return {r1 & 15, r0 - at_edge};
}

// Algorithm 35: (t1, t0) with t0 = t mod± 2^d.
Decomposed power2round(int32_t t) {
  int32_t t0 = t & ((1 << kD) - 1);
  t0 -= (((1 << (kD - 1)) - t0) >> 31) & (1 << kD);
  return {(t - t0) >> kD, t0};
}

// Algorithm 40 (m = (q - 1) / 2γ2 = 16).
int32_t use_hint(bool hint, int32_t r) {
  const Decomposed d = decompose(r);
  if (!hint) return d.r1;
  return (d.r0 > 0 ? d.r1 + 1 : d.r1 - 1) & 15;
}

// ---- Bit packing (FIPS 204 §7.1): values of `bits` bits, least significant bit first ----

void pack_bits(const uint32_t* values, unsigned bits, uint8_t* out) {
  uint64_t acc = 0;
  unsigned have = 0;
  for (int i = 0; i < kN; ++i) {
    acc |= uint64_t{values[i]} << have;
    for (have += bits; have >= 8; have -= 8, acc >>= 8) *out++ = static_cast<uint8_t>(acc);
  }
}

void unpack_bits(const uint8_t* in, unsigned bits, uint32_t* values) {
  uint64_t acc = 0;
  unsigned have = 0;
  for (int i = 0; i < kN; ++i) {
    for (; have < bits; have += 8) acc |= uint64_t{*in++} << have;
    values[i] = static_cast<uint32_t>(acc & ((uint64_t{1} << bits) - 1));
    acc >>= bits;
    have -= bits;
  }
}

// SimpleBitPack: the coefficients themselves.
void pack_plain(const Poly& p, unsigned bits, uint8_t* out) {
  uint32_t v[kN];
  for (int i = 0; i < kN; ++i) v[i] = static_cast<uint32_t>(p[i]);
  pack_bits(v, bits, out);
}

Poly unpack_plain(const uint8_t* in, unsigned bits) {
  uint32_t v[kN];
  unpack_bits(in, bits, v);
  Poly p;
  for (int i = 0; i < kN; ++i) p[i] = static_cast<int32_t>(v[i]);
  return p;
}

// BitPack(w, a, b): b - w for each coefficient w (taken mod± q).
void pack_offset(const Poly& p, int32_t b, unsigned bits, uint8_t* out) {
  uint32_t v[kN];
  for (int i = 0; i < kN; ++i) v[i] = static_cast<uint32_t>(b - centered(p[i]));
  pack_bits(v, bits, out);
}

Poly unpack_offset(const uint8_t* in, int32_t b, unsigned bits) {
  uint32_t v[kN];
  unpack_bits(in, bits, v);
  Poly p;
  for (int i = 0; i < kN; ++i) p[i] = from_signed(b - static_cast<int32_t>(v[i]));
  return p;
}

// ---- Hashing and sampling (FIPS 204 §7.3) ----

void shake256(std::initializer_list<ByteView> parts, uint8_t* out, size_t len) {
  KeccakSponge h = KeccakSponge::shake256();
  for (ByteView p : parts) h.absorb(p);
  h.squeeze(out, len);
}

// Algorithm 30.
Poly rej_ntt_poly(ByteView rho, uint8_t s, uint8_t r) {
  KeccakSponge g = KeccakSponge::shake128();
  const uint8_t index[2] = {s, r};
  g.absorb(rho).absorb(index, 2);
  Poly a;
  for (int j = 0; j < kN;) {
    const uint8_t* block = g.squeeze_block();  // 168 bytes: 56 candidates
    for (size_t k = 0; k + 3 <= g.rate() && j < kN; k += 3) {
      const int32_t z = block[k] | block[k + 1] << 8 | (block[k + 2] & 0x7f) << 16;
      if (z < kQ) a[j++] = z;
    }
  }
  return a;
}

// Algorithm 32: Â[r][s] from ρ || s || r.
std::unique_ptr<Matrix> expand_a(ByteView rho) {
  auto a = std::make_unique<Matrix>();
  for (int r = 0; r < kK; ++r)
    for (int s = 0; s < kL; ++s) (*a)[r][s] = rej_ntt_poly(rho, static_cast<uint8_t>(s), static_cast<uint8_t>(r));
  return a;
}

// Algorithm 31 with η = 2 (CoeffFromHalfByte: b < 15 gives 2 - b mod 5).
Poly rej_bounded_poly(ByteView rho_prime, uint16_t index) {
  KeccakSponge h = KeccakSponge::shake256();
  const uint8_t idx[2] = {static_cast<uint8_t>(index), static_cast<uint8_t>(index >> 8)};
  h.absorb(rho_prime).absorb(idx, 2);
  Poly a;
  for (int j = 0; j < kN;) {
    const uint8_t* block = h.squeeze_block();
    for (size_t k = 0; k < h.rate() && j < kN; ++k)
      for (int32_t b : {block[k] & 15, block[k] >> 4})
        if (b < 15 && j < kN) a[j++] = from_signed(2 - b % 5);
  }
  return a;
}

// Algorithm 34: y from ρ'' and κ.
Vec<kL> expand_mask(const uint8_t rho2[64], int kappa) {
  Vec<kL> y;
  for (int r = 0; r < kL; ++r) {
    const int n = kappa + r;
    const uint8_t idx[2] = {static_cast<uint8_t>(n), static_cast<uint8_t>(n >> 8)};
    uint8_t v[packed_bytes(kZBits)];
    KeccakSponge h = KeccakSponge::shake256();
    h.absorb(rho2, 64).absorb(idx, 2).squeeze(v, sizeof v);
    y[r] = unpack_offset(v, kGamma1, kZBits);
  }
  return y;
}

// Algorithm 29: τ coefficients ±1 placed by a Fisher-Yates walk over SHAKE256(c̃).
Poly sample_in_ball(const uint8_t* c_tilde) {
  KeccakSponge h = KeccakSponge::shake256();
  h.absorb(c_tilde, kCTildeBytes);
  uint8_t s[8];
  h.squeeze(s, 8);
  uint64_t signs = 0;
  for (int i = 7; i >= 0; --i) signs = signs << 8 | s[i];
  Poly c{};
  for (int i = kN - kTau; i < kN; ++i) {
    uint8_t j;
    do h.squeeze(&j, 1);  // FIPS 204's own rejection loop
    while (j > i);
    // c[i] = c[j]; c[j] = ±1, touching every position up to i so that neither the memory
    // access pattern nor the timing depends on j (c̃ of rejected attempts stays hidden).
    const int32_t sign = 1 + (-static_cast<int32_t>(signs & 1) & (kQ - 2));
    int32_t moved = 0;
    for (int k = 0; k <= i; ++k) moved |= c[k] & -static_cast<int32_t>(k == j);
    c[i] = moved;
    for (int k = 0; k <= i; ++k) {
      const int32_t at_j = -static_cast<int32_t>(k == j);
      c[k] = (c[k] & ~at_j) | (sign & at_j);
    }
    signs >>= 1;
  }
  return c;
}

Bytes w1_encode(const Vec<kK>& w1) {
  Bytes out(kK * packed_bytes(kW1Bits));
  for (int i = 0; i < kK; ++i) pack_plain(w1[i], kW1Bits, out.data() + i * packed_bytes(kW1Bits));
  return out;
}

// c̃ = H(μ || w1Encode(w1), λ/4)
std::array<uint8_t, kCTildeBytes> commitment_hash(const uint8_t mu[64], const Vec<kK>& w1) {
  std::array<uint8_t, kCTildeBytes> c;
  const Bytes packed = w1_encode(w1);
  shake256({{mu, 64}, packed}, c.data(), c.size());
  return c;
}

// ---- Key and signature encodings (FIPS 204 §7.2) ----

struct SecretKey {
  Bytes rho, key, tr;
  Vec<kL> s1;
  Vec<kK> s2, t0;
};

SecretKey decode_secret_key(ByteView sk) {
  if (sk.size() != kSecretKeyBytes) throw CryptoError("ML-DSA-87: secret key must be 4896 bytes");
  SecretKey k;
  k.rho.assign(sk.begin(), sk.begin() + 32);
  k.key.assign(sk.begin() + 32, sk.begin() + 64);
  k.tr.assign(sk.begin() + 64, sk.begin() + 128);
  const uint8_t* p = sk.data() + 128;
  for (Poly& s : k.s1) s = unpack_offset(p, kEta, kEtaBits), p += packed_bytes(kEtaBits);
  for (Poly& s : k.s2) s = unpack_offset(p, kEta, kEtaBits), p += packed_bytes(kEtaBits);
  for (Poly& t : k.t0) t = unpack_offset(p, 1 << (kD - 1), kT0Bits), p += packed_bytes(kT0Bits);
  return k;
}

struct PublicKey {
  Bytes rho;
  Vec<kK> t1;
};

PublicKey decode_public_key(ByteView pk) {
  if (pk.size() != kPublicKeyBytes) throw CryptoError("ML-DSA-87: public key must be 2592 bytes");
  PublicKey k;
  k.rho.assign(pk.begin(), pk.begin() + 32);
  for (int i = 0; i < kK; ++i) k.t1[i] = unpack_plain(pk.data() + 32 + i * packed_bytes(kT1Bits), kT1Bits);
  return k;
}

using Hints = std::array<std::array<uint8_t, kN>, kK>;

Bytes encode_signature(const uint8_t* c_tilde, const Vec<kL>& z, const Hints& h) {
  Bytes sig(kSignatureBytes, 0);
  std::memcpy(sig.data(), c_tilde, kCTildeBytes);
  uint8_t* p = sig.data() + kCTildeBytes;
  for (const Poly& zi : z) pack_offset(zi, kGamma1, kZBits, p), p += packed_bytes(kZBits);
  // Algorithm 20 (HintBitPack): positions of the ones, then each polynomial's running count.
  size_t index = 0;
  for (int i = 0; i < kK; ++i) {
    for (int j = 0; j < kN; ++j)
      if (h[i][j]) p[index++] = static_cast<uint8_t>(j);
    p[kOmega + i] = static_cast<uint8_t>(index);
  }
  return sig;
}

struct Signature {
  const uint8_t* c_tilde;
  Vec<kL> z;
  Hints h{};
};

// Algorithms 27 and 21; nullopt for a malformed hint encoding.
std::optional<Signature> decode_signature(ByteView sig) {
  if (sig.size() != kSignatureBytes) return std::nullopt;
  Signature s;
  s.c_tilde = sig.data();
  const uint8_t* p = sig.data() + kCTildeBytes;
  for (Poly& zi : s.z) zi = unpack_offset(p, kGamma1, kZBits), p += packed_bytes(kZBits);
  size_t index = 0;
  for (int i = 0; i < kK; ++i) {
    const size_t end = p[kOmega + i];
    if (end < index || end > kOmega) return std::nullopt;
    for (const size_t first = index; index < end; ++index) {
      if (index > first && p[index - 1] >= p[index]) return std::nullopt;  // strictly increasing
      s.h[i][p[index]] = 1;
    }
  }
  for (; index < kOmega; ++index)
    if (p[index] != 0) return std::nullopt;
  return s;
}

Bytes message_prefix(ByteView context) {
  // M' = IntegerToBytes(0, 1) || IntegerToBytes(|ctx|, 1) || ctx || M  (Algorithms 2 and 3)
  Bytes prefix{0, static_cast<uint8_t>(context.size())};
  prefix.insert(prefix.end(), context.begin(), context.end());
  return prefix;
}

void require_size(ByteView v, size_t size, const char* what) {
  if (v.size() != size) throw CryptoError(std::string("ML-DSA-87: ") + what);
}

}  // namespace

Bytes mu_from_tr(ByteView tr64, ByteView message, ByteView context) {
  require_size(tr64, 64, "tr must be 64 bytes");
  if (context.size() > 255) throw CryptoError("ML-DSA-87: context longer than 255 bytes");
  Bytes mu(64);
  const Bytes prefix = message_prefix(context);
  shake256({tr64, prefix, message}, mu.data(), mu.size());
  return mu;
}

MuHasher::MuHasher(ByteView tr64, ByteView context) {
  require_size(tr64, 64, "tr must be 64 bytes");
  if (context.size() > 255) throw CryptoError("ML-DSA-87: context longer than 255 bytes");
  const uint8_t header[2] = {0, static_cast<uint8_t>(context.size())};
  sponge_.absorb(tr64).absorb(header, 2).absorb(context);
}

// Algorithm 6 (ML-DSA.KeyGen_internal).
KeyPair keygen(ByteView seed32) {
  require_size(seed32, 32, "the key generation seed must be 32 bytes");
  uint8_t expanded[128];
  const uint8_t kl[2] = {kK, kL};
  shake256({seed32, {kl, 2}}, expanded, sizeof expanded);
  const ByteView rho(expanded, 32), rho_prime(expanded + 32, 64), key(expanded + 96, 32);

  const auto a = expand_a(rho);
  Vec<kL> s1;
  Vec<kK> s2;
  for (int r = 0; r < kL; ++r) s1[r] = rej_bounded_poly(rho_prime, static_cast<uint16_t>(r));
  for (int r = 0; r < kK; ++r) s2[r] = rej_bounded_poly(rho_prime, static_cast<uint16_t>(r + kL));
  Vec<kL> s1_hat = s1;
  ntt_all(s1_hat);
  Vec<kK> t = matrix_times(*a, s1_hat);
  Vec<kK> t1, t0;
  for (int i = 0; i < kK; ++i) {
    add_to(t[i], s2[i]);
    for (int j = 0; j < kN; ++j) {
      const Decomposed d = power2round(t[i][j]);
      t1[i][j] = d.r1;
      t0[i][j] = from_signed(d.r0);
    }
  }

  KeyPair kp;
  kp.pk.assign(rho.begin(), rho.end());
  kp.pk.resize(kPublicKeyBytes);
  for (int i = 0; i < kK; ++i) pack_plain(t1[i], kT1Bits, kp.pk.data() + 32 + i * packed_bytes(kT1Bits));
  uint8_t tr[64];
  shake256({kp.pk}, tr, sizeof tr);

  kp.sk.resize(kSecretKeyBytes);
  uint8_t* p = kp.sk.data();
  std::memcpy(p, rho.data(), 32);
  std::memcpy(p + 32, key.data(), 32);
  std::memcpy(p + 64, tr, 64);
  p += 128;
  for (const Poly& s : s1) pack_offset(s, kEta, kEtaBits, p), p += packed_bytes(kEtaBits);
  for (const Poly& s : s2) pack_offset(s, kEta, kEtaBits, p), p += packed_bytes(kEtaBits);
  for (const Poly& t0i : t0) pack_offset(t0i, 1 << (kD - 1), kT0Bits, p), p += packed_bytes(kT0Bits);
  return kp;
}

// Algorithm 7 (ML-DSA.Sign_internal) from line 6 on, μ given.
Signing sign_mu_counted(ByteView sk, ByteView mu64, ByteView rnd32) {
  require_size(mu64, 64, "mu must be 64 bytes");
  require_size(rnd32, 32, "rnd must be 32 bytes");
  SecretKey k = decode_secret_key(sk);
  ntt_all(k.s1);
  ntt_all(k.s2);
  ntt_all(k.t0);
  const auto a = expand_a(k.rho);
  uint8_t rho2[64];
  shake256({k.key, rnd32, mu64}, rho2, sizeof rho2);

  unsigned attempts = 0;
  for (int kappa = 0; kappa <= 0xffff - kL; kappa += kL) {
    ++attempts;
    const Vec<kL> y = expand_mask(rho2, kappa);
    Vec<kL> y_hat = y;
    ntt_all(y_hat);
    const Vec<kK> w = matrix_times(*a, y_hat);
    Vec<kK> w1;
    for (int i = 0; i < kK; ++i)
      for (int j = 0; j < kN; ++j) w1[i][j] = decompose(w[i][j]).r1;
    const auto c_tilde = commitment_hash(mu64.data(), w1);
    Poly c_hat = sample_in_ball(c_tilde.data());
    ntt(c_hat);

    const Vec<kL> cs1 = scalar_times(c_hat, k.s1);
    const Vec<kK> cs2 = scalar_times(c_hat, k.s2);
    Vec<kL> z = y;
    for (int i = 0; i < kL; ++i) add_to(z[i], cs1[i]);
    Vec<kK> w_minus_cs2, r0;
    for (int i = 0; i < kK; ++i)
      for (int j = 0; j < kN; ++j) {
        w_minus_cs2[i][j] = sub(w[i][j], cs2[i][j]);
        r0[i][j] = from_signed(decompose(w_minus_cs2[i][j]).r0);
      }
    if (any_at_least(z, kGamma1 - kBeta) | any_at_least(r0, kGamma2 - kBeta)) continue;

    const Vec<kK> ct0 = scalar_times(c_hat, k.t0);
    // MakeHint(-ct0, w - cs2 + ct0): does adding ct0 to w - cs2 change its high bits?
    Hints h;
    int32_t ones = 0;
    for (int i = 0; i < kK; ++i)
      for (int j = 0; j < kN; ++j) {
        const int32_t r1 = decompose(add(w_minus_cs2[i][j], ct0[i][j])).r1;
        const int32_t v1 = decompose(w_minus_cs2[i][j]).r1;
        h[i][j] = static_cast<uint8_t>(r1 != v1);
        ones += h[i][j];
      }
    if (any_at_least(ct0, kGamma2) | (ones > kOmega)) continue;
    return {encode_signature(c_tilde.data(), z, h), attempts};
  }
  throw CryptoError("ML-DSA-87: signing did not terminate");  // probability far below 2^-1000
}

Bytes sign_mu(ByteView sk, ByteView mu64, ByteView rnd32) { return sign_mu_counted(sk, mu64, rnd32).signature; }

Bytes sign(ByteView sk, ByteView message, ByteView context, ByteView rnd32) {
  if (context.size() > 255) throw CryptoError("ML-DSA-87: context longer than 255 bytes");
  require_size(sk, kSecretKeyBytes, "secret key must be 4896 bytes");
  const Bytes mu = mu_from_tr(sk.subspan(64, 64), message, context);
  return sign_mu(sk, mu, rnd32);
}

// Algorithm 8 (ML-DSA.Verify_internal) from line 7 on, μ given, up to c~'.
std::optional<Bytes> verify_challenge(ByteView pk, ByteView mu64, ByteView signature) {
  require_size(mu64, 64, "mu must be 64 bytes");
  const PublicKey k = decode_public_key(pk);
  const auto sig = decode_signature(signature);
  if (!sig || any_at_least(sig->z, kGamma1 - kBeta)) return std::nullopt;

  const auto a = expand_a(k.rho);
  Poly c_hat = sample_in_ball(sig->c_tilde);
  ntt(c_hat);
  Vec<kL> z_hat = sig->z;
  ntt_all(z_hat);
  Vec<kK> w_approx = matrix_times(*a, z_hat);
  Vec<kK> w1;
  for (int i = 0; i < kK; ++i) {
    Poly t1_hat;
    for (int j = 0; j < kN; ++j) t1_hat[j] = k.t1[i][j] << kD;
    ntt(t1_hat);
    Poly ct1 = pointwise(c_hat, t1_hat);
    inv_ntt(ct1);
    for (int j = 0; j < kN; ++j) w1[i][j] = use_hint(sig->h[i][j], sub(w_approx[i][j], ct1[j]));
  }
  const auto c_tilde = commitment_hash(mu64.data(), w1);
  return Bytes(c_tilde.begin(), c_tilde.end());
}

bool verify_mu(ByteView pk, ByteView mu64, ByteView signature) {
  const auto c_tilde = verify_challenge(pk, mu64, signature);
  return c_tilde && std::memcmp(c_tilde->data(), signature.data(), kCTildeBytes) == 0;
}

bool signature_z_in_bound(ByteView signature) {
  require_size(signature, kSignatureBytes, "signature must be 4627 bytes");
  Vec<kL> z;
  const uint8_t* p = signature.data() + kCTildeBytes;
  for (Poly& zi : z) zi = unpack_offset(p, kGamma1, kZBits), p += packed_bytes(kZBits);
  return !any_at_least(z, kGamma1 - kBeta);
}

bool secret_key_in_range(ByteView sk) {
  require_size(sk, kSecretKeyBytes, "secret key must be 4896 bytes");
  uint32_t fields[kN];
  const uint8_t* p = sk.data() + 128;
  for (int i = 0; i < kK + kL; ++i, p += packed_bytes(kEtaBits)) {
    unpack_bits(p, kEtaBits, fields);
    for (uint32_t f : fields)
      if (f > 2 * kEta) return false;
  }
  return true;
}

Bytes compute_mu(ByteView pk, ByteView message, ByteView context) {
  require_size(pk, kPublicKeyBytes, "public key must be 2592 bytes");
  if (context.size() > 255) throw CryptoError("ML-DSA-87: context longer than 255 bytes");
  uint8_t tr[64];
  shake256({pk}, tr, sizeof tr);
  return mu_from_tr({tr, sizeof tr}, message, context);
}

bool verify(ByteView pk, ByteView message, ByteView context, ByteView signature) {
  if (context.size() > 255) return false;
  return verify_mu(pk, compute_mu(pk, message, context), signature);
}

}  // namespace calemu::crypto::mldsa87
