#include "crypto/mlkem1024.h"

#include <array>
#include <cstring>
#include <memory>

#include "crypto/keccak.h"

namespace calemu::crypto::mlkem1024 {

namespace {

using detail::KeccakSponge;

// FIPS 203 §8 Table 2, ML-KEM-1024.
constexpr int32_t kQ = 3329;
constexpr int kN = 256, kK = 4;
constexpr int kEta1 = 2, kEta2 = 2;
constexpr unsigned kDu = 11, kDv = 5;

constexpr size_t poly_bytes(unsigned d) { return kN * d / 8; }
static_assert(kK * poly_bytes(12) + 32 == kEncapsulationKeyBytes);
static_assert(2 * kK * poly_bytes(12) + 96 == kDecapsulationKeyBytes);
static_assert(kK * poly_bytes(kDu) + poly_bytes(kDv) == kCiphertextBytes);

using Poly = std::array<int32_t, kN>;  // coefficients in [0, q)
using Vec = std::array<Poly, kK>;
using Matrix = std::array<Vec, kK>;

// ---- Arithmetic mod q without secret-dependent branches (constant divisors compile to
// multiplications) ----

int32_t mul(int32_t a, int32_t b) { return static_cast<int32_t>(static_cast<uint32_t>(a * b) % kQ); }
int32_t add(int32_t a, int32_t b) {
  const int32_t s = a + b - kQ;
  return s + ((s >> 31) & kQ);
}
int32_t sub(int32_t a, int32_t b) {
  const int32_t d = a - b;
  return d + ((d >> 31) & kQ);
}

constexpr int bitrev7(int i) {
  int r = 0;
  for (int b = 0; b < 7; ++b) r |= ((i >> b) & 1) << (6 - b);
  return r;
}
constexpr int32_t pow_mod(int64_t base, int e) {
  int64_t r = 1;
  for (; e; e >>= 1, base = base * base % kQ)
    if (e & 1) r = r * base % kQ;
  return static_cast<int32_t>(r);
}
// ζ = 17: ζ^BitRev7(i) for the NTT and ζ^(2 BitRev7(i) + 1) for the base multiplication
// (FIPS 203 Appendix A).
constexpr std::array<int32_t, 128> make_zetas(bool for_multiply) {
  std::array<int32_t, 128> z{};
  for (int i = 0; i < 128; ++i) z[static_cast<size_t>(i)] = pow_mod(17, for_multiply ? 2 * bitrev7(i) + 1 : bitrev7(i));
  return z;
}
constexpr std::array<int32_t, 128> kZetas = make_zetas(false);
constexpr std::array<int32_t, 128> kGammas = make_zetas(true);

// Algorithm 9.
void ntt(Poly& f) {
  int i = 1;
  for (int len = 128; len >= 2; len /= 2)
    for (int start = 0; start < kN; start += 2 * len) {
      const int32_t zeta = kZetas[static_cast<size_t>(i++)];
      for (int j = start; j < start + len; ++j) {
        const int32_t t = mul(zeta, f[j + len]);
        f[j + len] = sub(f[j], t);
        f[j] = add(f[j], t);
      }
    }
}

// Algorithm 10.
void inv_ntt(Poly& f) {
  int i = 127;
  for (int len = 2; len <= 128; len *= 2)
    for (int start = 0; start < kN; start += 2 * len) {
      const int32_t zeta = kZetas[static_cast<size_t>(i--)];
      for (int j = start; j < start + len; ++j) {
        const int32_t t = f[j];
        f[j] = add(t, f[j + len]);
        f[j + len] = mul(zeta, sub(f[j + len], t));
      }
    }
  for (int32_t& c : f) c = mul(c, 3303);  // 128^-1 mod q
}

// Algorithms 11 and 12: products in T_q, degree-one polynomials modulo X^2 - γ.
Poly multiply_ntts(const Poly& f, const Poly& g) {
  Poly h;
  for (int i = 0; i < 128; ++i) {
    const int32_t a0 = f[2 * i], a1 = f[2 * i + 1], b0 = g[2 * i], b1 = g[2 * i + 1];
    h[2 * i] = add(mul(a0, b0), mul(mul(a1, b1), kGammas[static_cast<size_t>(i)]));
    h[2 * i + 1] = add(mul(a0, b1), mul(a1, b0));
  }
  return h;
}

void add_to(Poly& acc, const Poly& b) {
  for (int i = 0; i < kN; ++i) acc[i] = add(acc[i], b[i]);
}

// Σ_j a_j ∘ b_j, in the NTT domain.
Poly inner_product(const Vec& a, const Vec& b) {
  Poly acc = multiply_ntts(a[0], b[0]);
  for (int j = 1; j < kK; ++j) add_to(acc, multiply_ntts(a[j], b[j]));
  return acc;
}

// ---- Encodings (§4.2.1): d-bit values, least significant bit first ----

void byte_encode(const Poly& f, unsigned d, uint8_t* out) {
  uint64_t acc = 0;
  unsigned have = 0;
  for (int i = 0; i < kN; ++i) {
    acc |= uint64_t{static_cast<uint32_t>(f[i])} << have;
    for (have += d; have >= 8; have -= 8, acc >>= 8) *out++ = static_cast<uint8_t>(acc);
  }
}

// ByteDecode_d; for d = 12 the values are reduced mod q (Algorithm 6).
Poly byte_decode(const uint8_t* in, unsigned d) {
  Poly f;
  uint64_t acc = 0;
  unsigned have = 0;
  for (int i = 0; i < kN; ++i) {
    for (; have < d; have += 8) acc |= uint64_t{*in++} << have;
    const auto v = static_cast<uint32_t>(acc & ((uint64_t{1} << d) - 1));
    f[i] = static_cast<int32_t>(d == 12 ? v % kQ : v);
    acc >>= d;
    have -= d;
  }
  return f;
}

// Compress_d(x) = round(2^d x / q) mod 2^d and Decompress_d(y) = round(q y / 2^d) (§4.2.1).
Poly compress(const Poly& f, unsigned d) {
  Poly r;
  for (int i = 0; i < kN; ++i)
    r[i] = static_cast<int32_t>(((static_cast<uint32_t>(f[i]) << (d + 1)) + kQ) / (2 * kQ) & ((1u << d) - 1));
  return r;
}
Poly decompress(const Poly& f, unsigned d) {
  Poly r;
  for (int i = 0; i < kN; ++i) r[i] = static_cast<int32_t>((static_cast<uint32_t>(f[i]) * kQ + (1u << (d - 1))) >> d);
  return r;
}

// ---- Hashes and sampling (§4.1, §4.2.2) ----

Bytes sha3_256(std::initializer_list<ByteView> parts) {
  KeccakSponge h = KeccakSponge::sha3_256();
  for (ByteView p : parts) h.absorb(p);
  return h.squeeze(32);
}
Bytes sha3_512(std::initializer_list<ByteView> parts) {  // G
  KeccakSponge h = KeccakSponge::sha3_512();
  for (ByteView p : parts) h.absorb(p);
  return h.squeeze(64);
}
Bytes shake256(std::initializer_list<ByteView> parts, size_t len) {  // J and PRF
  KeccakSponge h = KeccakSponge::shake256();
  for (ByteView p : parts) h.absorb(p);
  return h.squeeze(len);
}

// Algorithm 7: Â[i][j] from SHAKE128(ρ || j || i).
Poly sample_ntt(ByteView rho, uint8_t j, uint8_t i) {
  KeccakSponge xof = KeccakSponge::shake128();
  const uint8_t idx[2] = {j, i};
  xof.absorb(rho).absorb(idx, 2);
  Poly a;
  for (int n = 0; n < kN;) {
    const uint8_t* block = xof.squeeze_block();  // 168 bytes: 56 groups of three
    for (size_t k = 0; k + 3 <= xof.rate() && n < kN; k += 3) {
      const uint8_t* c = block + k;
      const int32_t d1 = c[0] + 256 * (c[1] & 15), d2 = (c[1] >> 4) + 16 * c[2];
      if (d1 < kQ) a[n++] = d1;
      if (d2 < kQ && n < kN) a[n++] = d2;
    }
  }
  return a;
}

std::unique_ptr<Matrix> expand_a(ByteView rho) {
  auto a = std::make_unique<Matrix>();
  for (int i = 0; i < kK; ++i)
    for (int j = 0; j < kK; ++j) (*a)[i][j] = sample_ntt(rho, static_cast<uint8_t>(j), static_cast<uint8_t>(i));
  return a;
}

// Algorithm 8 on PRF_η(σ, N) = SHAKE256(σ || N, 64η).
Poly sample_cbd(ByteView sigma, uint8_t n, int eta) {
  const uint8_t nb = n;
  const Bytes b = shake256({sigma, {&nb, 1}}, 64 * static_cast<size_t>(eta));
  auto bit = [&](int k) { return (b[static_cast<size_t>(k / 8)] >> (k % 8)) & 1; };
  Poly f;
  for (int i = 0; i < kN; ++i) {
    int32_t x = 0, y = 0;
    for (int j = 0; j < eta; ++j) {
      x += bit(2 * i * eta + j);
      y += bit(2 * i * eta + eta + j);
    }
    f[i] = sub(x, y);
  }
  return f;
}

// ---- K-PKE (§5) ----

struct PkeKeys { Bytes ek, dk; };

// Algorithm 13.
PkeKeys pke_keygen(ByteView d) {
  const uint8_t k = kK;
  const Bytes g = sha3_512({d, {&k, 1}});
  const ByteView rho(g.data(), 32), sigma(g.data() + 32, 32);
  const auto a = expand_a(rho);
  uint8_t n = 0;
  Vec s, e;
  for (Poly& p : s) p = sample_cbd(sigma, n++, kEta1), ntt(p);
  for (Poly& p : e) p = sample_cbd(sigma, n++, kEta1), ntt(p);
  PkeKeys keys{Bytes(kEncapsulationKeyBytes), Bytes(kK * poly_bytes(12))};
  for (int i = 0; i < kK; ++i) {
    Poly t = inner_product((*a)[i], s);
    add_to(t, e[i]);
    byte_encode(t, 12, keys.ek.data() + i * poly_bytes(12));
    byte_encode(s[i], 12, keys.dk.data() + i * poly_bytes(12));
  }
  std::memcpy(keys.ek.data() + kK * poly_bytes(12), rho.data(), 32);
  return keys;
}

// Algorithm 14.
Bytes pke_encrypt(ByteView ek, ByteView m, ByteView r) {
  Vec t_hat;
  for (int i = 0; i < kK; ++i) t_hat[i] = byte_decode(ek.data() + i * poly_bytes(12), 12);
  const auto a = expand_a(ek.subspan(kK * poly_bytes(12), 32));
  uint8_t n = 0;
  Vec y, e1;
  for (Poly& p : y) p = sample_cbd(r, n++, kEta1), ntt(p);
  for (Poly& p : e1) p = sample_cbd(r, n++, kEta2);
  const Poly e2 = sample_cbd(r, n, kEta2);

  Bytes c(kCiphertextBytes);
  for (int i = 0; i < kK; ++i) {
    Vec column;  // Â^T row i = column i of Â
    for (int j = 0; j < kK; ++j) column[j] = (*a)[j][i];
    Poly u = inner_product(column, y);
    inv_ntt(u);
    add_to(u, e1[i]);
    byte_encode(compress(u, kDu), kDu, c.data() + i * poly_bytes(kDu));
  }
  Poly v = inner_product(t_hat, y);
  inv_ntt(v);
  add_to(v, e2);
  add_to(v, decompress(byte_decode(m.data(), 1), 1));
  byte_encode(compress(v, kDv), kDv, c.data() + kK * poly_bytes(kDu));
  return c;
}

// Algorithm 15.
Bytes pke_decrypt(ByteView dk_pke, ByteView c) {
  Poly w = decompress(byte_decode(c.data() + kK * poly_bytes(kDu), kDv), kDv);
  Vec s_hat, u_hat;
  for (int i = 0; i < kK; ++i) {
    s_hat[i] = byte_decode(dk_pke.data() + i * poly_bytes(12), 12);
    u_hat[i] = decompress(byte_decode(c.data() + i * poly_bytes(kDu), kDu), kDu);
    ntt(u_hat[i]);
  }
  Poly su = inner_product(s_hat, u_hat);
  inv_ntt(su);
  for (int i = 0; i < kN; ++i) w[i] = sub(w[i], su[i]);
  Bytes m(32);
  byte_encode(compress(w, 1), 1, m.data());
  return m;
}

void require_size(ByteView v, size_t size, const char* what) {
  if (v.size() != size) throw CryptoError(std::string("ML-KEM-1024: ") + what);
}

}  // namespace

// Algorithm 16.
KeyPair keygen(ByteView d32, ByteView z32) {
  require_size(d32, 32, "d must be 32 bytes");
  require_size(z32, 32, "z must be 32 bytes");
  PkeKeys pke = pke_keygen(d32);
  KeyPair kp{pke.ek, std::move(pke.dk)};
  const Bytes h = sha3_256({kp.ek});
  kp.dk.insert(kp.dk.end(), kp.ek.begin(), kp.ek.end());
  kp.dk.insert(kp.dk.end(), h.begin(), h.end());
  kp.dk.insert(kp.dk.end(), z32.begin(), z32.end());
  return kp;
}

// Algorithm 17, after the §7.2 input checks.
Encapsulation encaps(ByteView ek, ByteView m32) {
  require_size(ek, kEncapsulationKeyBytes, "encapsulation key must be 1568 bytes");
  require_size(m32, 32, "m must be 32 bytes");
  for (int i = 0; i < kK; ++i) {  // modulus check: every coefficient already reduced
    const uint8_t* p = ek.data() + i * poly_bytes(12);
    uint8_t again[poly_bytes(12)];
    byte_encode(byte_decode(p, 12), 12, again);
    if (std::memcmp(again, p, sizeof again) != 0) throw CryptoError("ML-KEM-1024: encapsulation key has coefficients >= q");
  }
  const Bytes g = sha3_512({m32, sha3_256({ek})});
  return {Bytes(g.begin(), g.begin() + 32), pke_encrypt(ek, m32, ByteView(g).subspan(32))};
}

// Algorithm 18, after the §7.3 input checks.
Bytes decaps(ByteView dk, ByteView ciphertext) {
  require_size(dk, kDecapsulationKeyBytes, "decapsulation key must be 3168 bytes");
  require_size(ciphertext, kCiphertextBytes, "ciphertext must be 1568 bytes");
  const size_t pke_bytes = kK * poly_bytes(12);
  const ByteView dk_pke = dk.first(pke_bytes), ek = dk.subspan(pke_bytes, kEncapsulationKeyBytes);
  const ByteView h = dk.subspan(pke_bytes + kEncapsulationKeyBytes, 32), z = dk.subspan(dk.size() - 32);
  if (sha3_256({ek}) != Bytes(h.begin(), h.end())) throw CryptoError("ML-KEM-1024: decapsulation key fails its hash check");

  const Bytes m = pke_decrypt(dk_pke, ciphertext);
  const Bytes g = sha3_512({m, h});
  Bytes key(g.begin(), g.begin() + 32);
  const Bytes rejection_key = shake256({z, ciphertext}, 32);
  const Bytes c_again = pke_encrypt(ek, m, ByteView(g).subspan(32));
  uint8_t differ = 0;
  for (size_t i = 0; i < kCiphertextBytes; ++i) differ |= static_cast<uint8_t>(c_again[i] ^ ciphertext[i]);
  // All ones if the ciphertexts differ, without a branch on the comparison.
  const auto use_rejection = static_cast<uint8_t>(-((static_cast<uint32_t>(differ) + 0xff) >> 8));
  for (size_t i = 0; i < key.size(); ++i)
    key[i] = static_cast<uint8_t>((key[i] & ~use_rejection) | (rejection_key[i] & use_rejection));
  return key;
}

}  // namespace calemu::crypto::mlkem1024
