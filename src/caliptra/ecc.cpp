#include "caliptra/ecc.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <algorithm>
#include <memory>

#include "caliptra/keyvault.h"
#include "crypto/sha.h"

namespace calemu::caliptra {

namespace {

// ecc_params_pkg.sv: ECC_CORE_NAME 64'h38342D33_63707365 ("secp-384"), VERSION "1.00".
constexpr uint32_t kName[2] = {0x63707365, 0x38342D33};
constexpr uint32_t kVersion[2] = {0x3030312e, 0x00000000};

constexpr uint32_t kZeroize = 1u << 2, kPcrSign = 1u << 3, kDhSharedKey = 1u << 4;

using Words = Ecc::Words;

crypto::Bytes to_bytes(const Words& w) {
  crypto::Bytes b(48);
  for (unsigned i = 0; i < 48; ++i) b[i] = static_cast<uint8_t>(w[i / 4] >> (24 - 8 * (i % 4)));
  return b;
}

Words to_words(crypto::ByteView b) {
  Words w{};
  for (unsigned i = 0; i < 48 && i < b.size(); ++i) w[i / 4] |= uint32_t{b[i]} << (24 - 8 * (i % 4));
  return w;
}

bool is_zero(const Words& w) {
  for (uint32_t x : w)
    if (x) return false;
  return true;
}

// a < b as 384-bit integers.
bool less(const Words& a, const Words& b) {
  for (unsigned i = 0; i < 12; ++i)
    if (a[i] != b[i]) return a[i] < b[i];
  return false;
}

Words subtract(const Words& a, const Words& b) {
  Words r{};
  int64_t borrow = 0;
  for (int i = 11; i >= 0; --i) {
    int64_t d = int64_t{a[i]} - b[i] - borrow;
    borrow = d < 0;
    r[i] = static_cast<uint32_t>(d + (borrow ? (int64_t{1} << 32) : 0));
  }
  return r;
}

// secp384r1 group order q and prime p (SEC 2 §2.5.1; ecc_params_pkg.sv GROUP_ORDER, PRIME).
constexpr Words kOrder = {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
                          0xc7634d81, 0xf4372ddf, 0x581a0db2, 0x48b0a77a, 0xecec196a, 0xccc52973};
constexpr Words kPrime = {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
                          0xffffffff, 0xfffffffe, 0xffffffff, 0x00000000, 0x00000000, 0xffffffff};

// P-384 arithmetic for the engine's results, on OpenSSL's EC_POINT/BIGNUM primitives
// (crypto/ecc384.h offers whole ECDSA operations, but the engine needs signing with the
// nonce it derived itself and the raw x of the verify point).
class P384 {
 public:
  P384() : group_(EC_GROUP_new_by_curve_name(NID_secp384r1)), bn_ctx_(BN_CTX_new()) {}
  P384(const P384&) = delete;
  P384& operator=(const P384&) = delete;

  struct Point { Words x{}, y{}; bool infinity = true; };

  // g * G + q * Q (Q optional).
  Point mul(const Words& g, const Point* q_point = nullptr, const Words* q = nullptr) {
    Point out;
    EcPoint r(EC_POINT_new(group_.get()));
    Bn gs = bn(g), qs = q ? bn(*q) : Bn(BN_new());
    EcPoint qp(EC_POINT_new(group_.get()));
    if (q_point && !set(qp.get(), *q_point)) return out;
    if (!EC_POINT_mul(group_.get(), r.get(), gs.get(), q_point ? qp.get() : nullptr, q_point ? qs.get() : nullptr,
                      bn_ctx_.get()))
      return out;
    if (EC_POINT_is_at_infinity(group_.get(), r.get())) return out;
    Bn x(BN_new()), y(BN_new());
    EC_POINT_get_affine_coordinates(group_.get(), r.get(), x.get(), y.get(), bn_ctx_.get());
    out.x = words(x.get());
    out.y = words(y.get());
    out.infinity = false;
    return out;
  }

  bool on_curve(const Point& p) {
    EcPoint q(EC_POINT_new(group_.get()));
    return set(q.get(), p) && EC_POINT_is_on_curve(group_.get(), q.get(), bn_ctx_.get()) == 1;
  }

  // (a * b) mod q, (a + b) mod q, a^-1 mod q.
  Words mul_q(const Words& a, const Words& b) { return op([&](BIGNUM* r, BIGNUM* x, BIGNUM* y, const BIGNUM* n) {
    BN_mod_mul(r, x, y, n, bn_ctx_.get()); }, a, b); }
  Words add_q(const Words& a, const Words& b) { return op([&](BIGNUM* r, BIGNUM* x, BIGNUM* y, const BIGNUM* n) {
    BN_mod_add(r, x, y, n, bn_ctx_.get()); }, a, b); }
  Words inv_q(const Words& a) { return op([&](BIGNUM* r, BIGNUM* x, BIGNUM*, const BIGNUM* n) {
    BN_mod_inverse(r, x, n, bn_ctx_.get()); }, a, Words{}); }

 private:
  struct GroupDel { void operator()(EC_GROUP* g) const { EC_GROUP_free(g); } };
  struct CtxDel { void operator()(BN_CTX* c) const { BN_CTX_free(c); } };
  struct BnDel { void operator()(BIGNUM* b) const { BN_free(b); } };
  struct PointDel { void operator()(EC_POINT* p) const { EC_POINT_free(p); } };
  using Bn = std::unique_ptr<BIGNUM, BnDel>;
  using EcPoint = std::unique_ptr<EC_POINT, PointDel>;

  Bn bn(const Words& w) {
    const crypto::Bytes b = to_bytes(w);
    return Bn(BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr));
  }
  Words words(const BIGNUM* v) {
    crypto::Bytes b(48);
    BN_bn2binpad(v, b.data(), 48);
    return to_words(b);
  }
  bool set(EC_POINT* p, const Point& v) {
    Bn x = bn(v.x), y = bn(v.y);
    return EC_POINT_set_affine_coordinates(group_.get(), p, x.get(), y.get(), bn_ctx_.get()) == 1;
  }
  template <typename F>
  Words op(F f, const Words& a, const Words& b) {
    Bn x = bn(a), y = bn(b), r(BN_new());
    f(r.get(), x.get(), y.get(), EC_GROUP_get0_order(group_.get()));
    return words(r.get());
  }

  std::unique_ptr<EC_GROUP, GroupDel> group_;
  std::unique_ptr<BN_CTX, CtxDel> bn_ctx_;
};

crypto::Bytes hmac(const crypto::Bytes& key, std::initializer_list<crypto::ByteView> parts) {
  crypto::Bytes msg;
  for (auto p : parts) msg.insert(msg.end(), p.begin(), p.end());
  return crypto::hmac_sha384(key, msg);
}

}  // namespace

// hmac_drbg.sv INIT: K = 0, V = 0x01..; K = HMAC(K, V || 00 || e || n), V = HMAC(K, V);
// K = HMAC(K, V || 01 || e || n), V = HMAC(K, V); T = HMAC(K, V) until 0 < T < q. On a
// rejection the RTL reseeds K and V from the V before T (K3_ST/V3_ST take V_reg, which T
// never overwrote), which RFC 6979 does from T; the two only differ with probability 2^-190.
Words Ecc::hmac_drbg(const Words& entropy, const Words& nonce) {
  const crypto::Bytes e = to_bytes(entropy), n = to_bytes(nonce);
  crypto::Bytes k(48, 0x00), v(48, 0x01);
  const uint8_t zero = 0x00, one = 0x01;
  k = hmac(k, {v, {&zero, 1}, e, n});
  v = hmac(k, {v});
  k = hmac(k, {v, {&one, 1}, e, n});
  v = hmac(k, {v});
  for (;;) {
    const Words t = to_words(hmac(k, {v}));
    if (!is_zero(t) && less(t, kOrder)) return t;
    k = hmac(k, {v, {&zero, 1}});
    v = hmac(k, {v});
  }
}

Ecc::Ecc(BlockContext& ctx)
    : bus::RegBlock("ecc", is_2x(ctx.hw) ? std::span<const bus::RegDef>(kRegs2x) : kRegs, kSize),
      ctx_(ctx),
      v2_(is_2x(ctx.hw)),
      intr_({"error_internal"}, {"notif_cmd_done"},
            [&ctx](bool err, bool notif) {
              if (ctx.set_irq) {
                ctx.set_irq(kIrqEccError, err);
                ctx.set_irq(kIrqEccNotif, notif);
              }
            }),
      privkey_rd_(ctx.timeline, "ecc.kv_rd_pkey", *this, ecc_kv_rd_pkey_status, ctx.hw == HwGen::V2_1),
      seed_rd_(ctx.timeline, "ecc.kv_rd_seed", *this, ecc_kv_rd_seed_status, ctx.hw == HwGen::V2_1),
      kv_wr_(ctx.timeline, "ecc.kv_wr_pkey", *this, ecc_kv_wr_pkey_status),
      done_("ecc.core", [this] { finish(); }),
      privkey_out_("ecc.privkey_out", [this] { keygen_privkey_out(); }) {
  attach(0x800, intr_);
  clear_state();
}

void Ecc::clear_state() {
  ctx_.timeline.cancel(done_);
  ctx_.timeline.cancel(privkey_out_);
  privkey_rd_.reset();
  seed_rd_.reset();
  kv_wr_.reset();
  busy_ = false;
  cmd_ = Cmd::None;
  kv_reg_ = {};
  kv_seed_data_present_ = kv_key_data_present_ = false;
  seed_read_failed_ = privkey_read_failed_ = false;
  error_flag_ = false;
  reg(ECC_STATUS) = 1;
}

void Ecc::reset(bus::ResetKind kind) {
  if (kind == bus::ResetKind::FwUpdate) return;
  bus::RegBlock::reset(kind);
  clear_state();
}

void Ecc::zeroize() {
  ctx_.timeline.cancel(done_);
  ctx_.timeline.cancel(privkey_out_);
  privkey_rd_.abort();
  seed_rd_.abort();
  kv_wr_.abort();
  busy_ = false;
  cmd_ = Cmd::None;
  kv_reg_ = {};
  kv_seed_data_present_ = kv_key_data_present_ = false;
  seed_read_failed_ = privkey_read_failed_ = false;
  error_flag_ = false;
  reg(ECC_STATUS) = 1;
  for (unsigned id : {ECC_SEED, ECC_MSG, ECC_PRIVKEY_OUT, ECC_PUBKEY_X, ECC_PUBKEY_Y, ECC_SIGN_R, ECC_SIGN_S,
                      ECC_VERIFY_R, ECC_IV, ECC_NONCE, ECC_PRIVKEY_IN})
    write_words(id, Words{});
  if (v2_) write_words(ECC_DH_SHARED_KEY, Words{});
}

// A vault read lands in SEED/PRIVKEY_IN: the dwords the client copied (2.1 stops at the
// slot's last dword), or zeros while the read failed (hwclr on KV_READ_FAIL).
void Ecc::copy_in(unsigned id, const std::array<uint32_t, 16>& words, bool error, unsigned n) {
  if (error) return write_words(id, Words{});
  for (unsigned i = 0; i < n && i < 12; ++i) reg(id, i) = words[i];
}

Words Ecc::read_words(unsigned id) const {
  Words w;
  for (unsigned i = 0; i < 12; ++i) w[i] = reg(id, i);
  return w;
}

void Ecc::write_words(unsigned id, const Words& w) {
  for (unsigned i = 0; i < 12; ++i) reg(id, i) = w[i];
}

bool Ecc::read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester&) {
  if (id == ECC_NAME) value = kName[index];
  if (id == ECC_VERSION) value = kVersion[index];
  return true;
}

// 2.x ecc_dsa_ctrl.sv swwe on the kv controls: a read control while its data is absent
// and the engine idle, the write control while idle; pcr_hash_extend never; the reserved
// bits as the rest in 2.0, never in 2.1.
uint32_t Ecc::kv_ctrl_writable(unsigned id) const {
  if (engine_busy()) return 0;
  const bool v20 = ctx_.hw == HwGen::V2_0;
  if (id == ecc_kv_wr_pkey_ctrl) return v20 ? 0xFFFF'FFFF : 0x7FFF;
  const bool present = id == ecc_kv_rd_pkey_ctrl ? kv_key_data_present_ : kv_seed_data_present_;
  if (present) return 0;
  return v20 ? ~(1u << 6) : 0x3F;
}

// swwe = ecc_ready on the inputs; SEED and PRIVKEY_IN also stay closed while they hold
// vault data, and a failed vault read keeps them cleared.
bus::RegBlock::Verdict Ecc::write_hook(unsigned id, unsigned, uint32_t& next, uint32_t old, const bus::Requester&) {
  switch (id) {
    case ECC_CTRL:
      return Verdict::Store;
    case ecc_kv_rd_pkey_ctrl: case ecc_kv_rd_seed_ctrl: case ecc_kv_wr_pkey_ctrl:
      if (v2_) {
        const uint32_t w = kv_ctrl_writable(id);
        next = (next & w) | (old & ~w);
      }
      return Verdict::Store;
    case ECC_SEED:
      if (!ready() || kv_seed_data_present_) return Verdict::Ignore;
      if (seed_read_failed_) next = 0;
      return Verdict::Store;
    case ECC_PRIVKEY_IN:
      if (!ready() || kv_key_data_present_) return Verdict::Ignore;
      if (privkey_read_failed_) next = 0;
      return Verdict::Store;
    default:
      return ready() ? Verdict::Store : Verdict::Ignore;
  }
}

void Ecc::after_write(unsigned id, unsigned, uint32_t, const bus::Requester&) {
  switch (id) {
    case ECC_CTRL: on_ctrl(reg(ECC_CTRL)); break;
    case ecc_kv_rd_pkey_ctrl: on_privkey_read(reg(ecc_kv_rd_pkey_ctrl)); break;
    case ecc_kv_rd_seed_ctrl: on_seed_read(reg(ecc_kv_rd_seed_ctrl)); break;
    default: break;
  }
}

void Ecc::on_ctrl(uint32_t v) {
  if (v & kZeroize) {
    zeroize();
    return;
  }
  if (!ready()) return;  // CTRL, PCR_SIGN and DH_SHAREDKEY have swwe = ecc_ready
  // The command is masked while a vault read runs (ecc_dsa_ctrl.sv cmd_reg); 2.x makes it
  // {DH_SHAREDKEY, CTRL}, where only KEYGEN, SIGN, VERIFY and SHARED_KEY (4) mean anything.
  const uint32_t raw = (v & 3) | (v2_ && (v & kDhSharedKey) ? 4u : 0u);
  const bool kv_ready = privkey_rd_.ready() && seed_rd_.ready();
  const Cmd cmd = kv_ready && raw <= 4 ? static_cast<Cmd>(raw) : Cmd::None;
  if (v & kPcrSign) {
    // pcr_sign_mode loads the signing key from slot 7 and the gen_pcr_hash digest.
    if (ctx_.kv) write_words(ECC_PRIVKEY_IN, ctx_.kv->pcr_signing_key());
    Words msg{};
    if (pcr_hash_) {
      const PcrHash h = pcr_hash_();
      std::copy_n(h.begin(), 12, msg.begin());
    }
    write_words(ECC_MSG, msg);
    if (cmd == Cmd::Keygen || cmd == Cmd::Verify || cmd == Cmd::SharedKey) return fail();  // pcr_sign_input_invalid
  }
  // 2.x: after an error the sequencer stays in NOP until a zeroize.
  if (cmd != Cmd::None && !error_flag_) start(cmd);
}

void Ecc::start(Cmd cmd) {
  cmd_ = cmd;
  busy_ = true;
  reg(ECC_STATUS) = 0;
  result_ok_ = true;
  const Words msg = read_words(ECC_MSG);
  const Words h = less(msg, kOrder) ? msg : subtract(msg, kOrder);  // msg_reduced_reg
  P384 p384;
  switch (cmd) {
    case Cmd::Keygen: {
      privkey_ = hmac_drbg(read_words(ECC_SEED), read_words(ECC_NONCE));
      const P384::Point q = p384.mul(privkey_);
      pub_x_ = q.x;
      pub_y_ = q.y;
      ctx_.timeline.schedule_in(privkey_out_, kCyclesKeygenDrbg);
      ctx_.timeline.schedule_in(done_, kCyclesKeygen);
      return;
    }
    case Cmd::Sign: {
      const Words d = read_words(ECC_PRIVKEY_IN);
      if (is_zero(d) || !less(d, kOrder)) return fail();  // privkey_input_outofrange
      const Words k = hmac_drbg(d, h);
      const P384::Point kg = p384.mul(k);
      r_ = less(kg.x, kOrder) ? kg.x : subtract(kg.x, kOrder);
      s_ = p384.mul_q(p384.inv_q(k), p384.add_q(h, p384.mul_q(r_, d)));
      result_ok_ = !is_zero(r_) && !is_zero(s_);  // r/s_output_outofrange, seen at the end
      ctx_.timeline.schedule_in(done_, kCyclesSign);
      return;
    }
    case Cmd::Verify: {
      const Words r = read_words(ECC_SIGN_R), s = read_words(ECC_SIGN_S);
      const P384::Point q{read_words(ECC_PUBKEY_X), read_words(ECC_PUBKEY_Y), false};
      if (is_zero(r) || !less(r, kOrder) || is_zero(s) || !less(s, kOrder) || !less(q.x, kPrime) ||
          !less(q.y, kPrime))
        return fail();
      if (!p384.on_curve(q)) {  // pubkey_input_invalid, after the CHK_PK program
        result_ok_ = false;
        ctx_.timeline.schedule_in(done_, kCyclesPubkeyCheck);
        return;
      }
      const Words w = p384.inv_q(s);
      const Words u1 = p384.mul_q(h, w), u2 = p384.mul_q(r, w);
      const P384::Point rp = p384.mul(u1, &q, &u2);
      verify_r_ = rp.infinity ? Words{} : rp.x;  // the inverse of Z = 0 is 0 in the RTL
      ctx_.timeline.schedule_in(done_, kCyclesVerify);
      return;
    }
    case Cmd::SharedKey: {
      const P384::Point q{read_words(ECC_PUBKEY_X), read_words(ECC_PUBKEY_Y), false};
      if (!less(q.x, kPrime) || !less(q.y, kPrime)) return fail();  // pubkey_input_outofrange
      if (!p384.on_curve(q)) {  // pubkey_input_invalid, after the CHK_PK program
        result_ok_ = false;
        ctx_.timeline.schedule_in(done_, kCyclesPubkeyCheck);
        return;
      }
      const Words d = read_words(ECC_PRIVKEY_IN);
      const P384::Point s = p384.mul(Words{}, &q, &d);
      shared_ = s.infinity ? Words{} : s.x;
      ctx_.timeline.schedule_in(done_, kCyclesSharedKey);
      return;
    }
    case Cmd::None: break;
  }
}

// Keygen reads the private key out of the core after the DRBG: to PRIVKEY_OUT, or, when
// it is bound for the vault (or came from a vault seed), to the vault write path only.
void Ecc::keygen_privkey_out() {
  const kv::WriteCtrl wc = kv::WriteCtrl::decode(reg(ecc_kv_wr_pkey_ctrl));
  if (wc.write_en || kv_seed_data_present_)
    kv_reg_ = privkey_;
  else
    write_words(ECC_PRIVKEY_OUT, privkey_);
  write_secret_to_vault();
}

// secretkey_we (the private key of a keygen, the shared key of an ECDH) starts the write
// client when KV_WR_CTRL asks for it.
void Ecc::write_secret_to_vault() {
  const kv::WriteCtrl wc = kv::WriteCtrl::decode(reg(ecc_kv_wr_pkey_ctrl));
  if (!wc.write_en || !kv_wr_.ready()) return;
  KvWriteSource src{KvWriter::Ecc};
  if (kv_seed_data_present_) src.data0 = kv_seed_entry_;
  if (kv_key_data_present_) src.data1 = kv_key_entry_;
  reg(ecc_kv_wr_pkey_ctrl) &= ~1u;
  kv_wr_.start(kv::kCyclesKeyCopy, kv::Error::Success, [this, wc, src] {
    const bool ok = ctx_.kv && ctx_.kv->write(wc.entry, kv_reg_, wc.dest_valid, src);
    kv_wr_.set_error(ok ? kv::Error::Success : kv::Error::WriteFail);
  });
}

// error_flag: the command ends without VALID. 1.x raises error_internal for every error
// (error_flag_reg follows error_flag); 2.x latches the flag and raises it on the first edge.
void Ecc::fail() {
  busy_ = false;
  cmd_ = Cmd::None;
  reg(ECC_STATUS) = 1;
  if (!v2_ || !error_flag_) intr_.error_event(0);
  if (v2_) error_flag_ = true;
}

void Ecc::finish() {
  if (!result_ok_) return fail();
  switch (cmd_) {
    case Cmd::Keygen:
      write_words(ECC_PUBKEY_X, pub_x_);
      write_words(ECC_PUBKEY_Y, pub_y_);
      break;
    case Cmd::Sign:
      write_words(ECC_SIGN_R, r_);
      write_words(ECC_SIGN_S, s_);
      break;
    case Cmd::Verify:
      write_words(ECC_VERIFY_R, verify_r_);
      break;
    case Cmd::SharedKey: {
      // DH_SHARED_KEY.we = sharedkey_we & ~(dest_keyvault | kv_key_data_present), but kv_reg
      // only takes it with dest_keyvault | kv_seed_data_present (ecc_dsa_ctrl.sv).
      const kv::WriteCtrl wc = kv::WriteCtrl::decode(reg(ecc_kv_wr_pkey_ctrl));
      if (!(wc.write_en || kv_key_data_present_)) write_words(ECC_DH_SHARED_KEY, shared_);
      if (wc.write_en || kv_seed_data_present_) kv_reg_ = shared_;
      write_secret_to_vault();
      break;
    }
    case Cmd::None: break;
  }
  busy_ = false;
  cmd_ = Cmd::None;
  reg(ECC_STATUS) = 3;
  // ecc_status_done_p: vault-sourced seed and key are cleared with the result.
  if (kv_seed_data_present_) write_words(ECC_SEED, Words{});
  if (kv_key_data_present_) write_words(ECC_PRIVKEY_IN, Words{});
  kv_seed_data_present_ = kv_key_data_present_ = false;
  intr_.notif_event(0);
}

void Ecc::on_privkey_read(uint32_t v) {
  const kv::ReadCtrl rc = kv::ReadCtrl::decode(v);
  reg(ecc_kv_rd_pkey_ctrl) &= ~1u;
  if (!rc.read_en || !privkey_rd_.ready()) return;
  kv_key_data_present_ = true;
  kv_key_entry_ = rc.entry;
  const KeyVault::ReadResult r = ctx_.kv ? ctx_.kv->read(rc.entry, KvClient::EccPrivkey) : KeyVault::ReadResult{true};
  privkey_read_failed_ = r.error;
  const unsigned n = ctx_.kv ? ctx_.kv->copy_length(r, 12) : 0;
  privkey_rd_.start(r.denied ? kv::kCyclesDeniedRead : kv::kCyclesKeyCopy, r.error ? kv::Error::ReadFail : kv::Error::Success,
                    [this, r, n] { copy_in(ECC_PRIVKEY_IN, r.words, r.error, n); });
}

void Ecc::on_seed_read(uint32_t v) {
  const kv::ReadCtrl rc = kv::ReadCtrl::decode(v);
  reg(ecc_kv_rd_seed_ctrl) &= ~1u;
  if (!rc.read_en || !seed_rd_.ready()) return;
  kv_seed_data_present_ = true;
  kv_seed_entry_ = rc.entry;
  const KeyVault::ReadResult r = ctx_.kv ? ctx_.kv->read(rc.entry, KvClient::EccSeed) : KeyVault::ReadResult{true};
  seed_read_failed_ = r.error;
  const unsigned n = ctx_.kv ? ctx_.kv->copy_length(r, 12) : 0;
  seed_rd_.start(r.denied ? kv::kCyclesDeniedRead : kv::kCyclesKeyCopy, r.error ? kv::Error::ReadFail : kv::Error::Success,
                 [this, r, n] { copy_in(ECC_SEED, r.words, r.error, n); });
}

}  // namespace calemu::caliptra
