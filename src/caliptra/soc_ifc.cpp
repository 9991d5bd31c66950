#include "caliptra/soc_ifc.h"

namespace calemu::caliptra {

using bus::Requester;

namespace {
constexpr uint32_t kNo = 0xFFFF'FFFF;  // the register does not exist in that generation

struct Row {
  bus::RegDef def;
  uint32_t v2_offset;
};
#define CALEMU_SOC_IFC_ROW(id, v1, v2, ...) Row{bus::RegDef(#id, v1) __VA_ARGS__, v2},
constexpr Row kRows[] = {CALEMU_SOC_IFC_REGS(CALEMU_SOC_IFC_ROW)};
#undef CALEMU_SOC_IFC_ROW

// 2.x renamed these (PAUSER became AXI_USER; the key-manifest fuses became vendor fuses).
struct Rename { unsigned id; std::string_view v2_name; };
constexpr Rename kV2Names[] = {
    {SocIfc::CPTRA_MBOX_VALID_PAUSER, "CPTRA_MBOX_VALID_AXI_USER"},
    {SocIfc::CPTRA_MBOX_PAUSER_LOCK, "CPTRA_MBOX_AXI_USER_LOCK"},
    {SocIfc::CPTRA_TRNG_VALID_PAUSER, "CPTRA_TRNG_VALID_AXI_USER"},
    {SocIfc::CPTRA_TRNG_PAUSER_LOCK, "CPTRA_TRNG_AXI_USER_LOCK"},
    {SocIfc::CPTRA_FUSE_VALID_PAUSER, "CPTRA_FUSE_VALID_AXI_USER"},
    {SocIfc::CPTRA_FUSE_PAUSER_LOCK, "CPTRA_FUSE_AXI_USER_LOCK"},
    {SocIfc::fuse_key_manifest_pk_hash, "fuse_vendor_pk_hash"},
    {SocIfc::fuse_key_manifest_pk_hash_mask, "fuse_ecc_revocation"},
};

// Added in caliptra-rtl 2.1 (absent from 2.0).
constexpr unsigned kOnlyV21[] = {
    SocIfc::fuse_hek_seed, SocIfc::SS_EXTERNAL_STAGING_AREA_BASE_ADDR_L, SocIfc::SS_EXTERNAL_STAGING_AREA_BASE_ADDR_H,
    SocIfc::SS_KEY_RELEASE_BASE_ADDR_L, SocIfc::SS_KEY_RELEASE_BASE_ADDR_H, SocIfc::SS_KEY_RELEASE_SIZE,
    SocIfc::SS_OCP_LOCK_CTRL,
};
}  // namespace

uint16_t SocIfc::generation_id(HwGen g) {
  // {patch[15:8], minor[7:4], major[3:0]} of the modelled caliptra-rtl tag.
  switch (g) {
    case HwGen::V1: return 0x0011;    // v1.1
    case HwGen::V2_0: return 0x0402;  // v2.0.4
    case HwGen::V2_1: return 0x0212;  // v2.1.2
  }
  return 0;
}

std::vector<bus::RegDef> SocIfc::table(HwGen g) {
  std::vector<bus::RegDef> defs;
  for (const Row& r : kRows) defs.push_back(r.def);
  if (!is_2x(g)) {
    for (auto& d : defs)
      if (d.offset == kNo) d = bus::RegDef(d.name, 0).absent();
    return defs;
  }
  for (size_t i = 0; i < defs.size(); ++i) {
    if (kRows[i].v2_offset == kNo) defs[i] = bus::RegDef(defs[i].name, 0).absent();
    else defs[i].offset = kRows[i].v2_offset;
  }
  for (const Rename& r : kV2Names) defs[r.id].name = r.v2_name;
  defs[fuse_uds_seed] = defs[fuse_uds_seed].count(16);
  defs[CPTRA_HW_REV_ID] = defs[CPTRA_HW_REV_ID].reset(generation_id(g));
  if (g == HwGen::V2_0) {
    for (unsigned id : kOnlyV21) defs[id] = bus::RegDef(defs[id].name, 0).absent();
    defs[CPTRA_HW_CONFIG] = defs[CPTRA_HW_CONFIG].ro(0x3F);
    defs[SS_DBG_SERVICE_REG_REQ].name = "SS_DBG_MANUF_SERVICE_REG_REQ";
    defs[SS_DBG_SERVICE_REG_RSP].name = "SS_DBG_MANUF_SERVICE_REG_RSP";
  } else {
    defs[CPTRA_HW_CONFIG] = defs[CPTRA_HW_CONFIG].ro(0x7F);
  }
  return defs;
}

SocIfc::SocIfc(BlockContext& ctx, const Config& cfg, SocIfcWiring wiring)
    : bus::RegBlock("soc_ifc", table(cfg.hw), 0x1000),
      ctx_(ctx),
      cfg_(cfg),
      wire_(std::move(wiring)),
      intr_({"error_internal", "error_inv_dev", "error_cmd_fail", "error_bad_fuse", "error_iccm_blocked",
             "error_mbox_ecc_unc", "error_wdt_timer1_timeout", "error_wdt_timer2_timeout"},
            {"notif_cmd_avail", "notif_mbox_ecc_cor", "notif_debug_locked", "notif_scan_mode", "notif_soc_req_lock",
             "notif_gen_in_toggle"},
            [&ctx](bool err, bool notif) {
              if (ctx.set_irq) {
                ctx.set_irq(kIrqSocIfcError, err);
                ctx.set_irq(kIrqSocIfcNotif, notif);
              }
            },
            /*cpu_write_only=*/true),
      mtimecmp_event_("soc_ifc.mtimecmp", [this] { update_timer_irq(); }),
      wdt_event_{bus::Event("soc_ifc.wdt1", [this] { wdt_timeout(0); }),
                  bus::Event("soc_ifc.wdt2", [this] { wdt_timeout(1); })} {
  attach(0x800, intr_);
  intr_.set_status_observer([this](bool error, uint32_t cleared) {
    if (error) wdt_serviced(cleared);
  });
  reset(bus::ResetKind::Cold);
}

void SocIfc::reset(bus::ResetKind kind) {
  if (kind == bus::ResetKind::FwUpdate) return;  // soc_ifc sits in the non-core domain
  bus::RegBlock::reset(kind);
  if (kind == bus::ResetKind::Cold) {
    uds_written_ = fe_written_ = 0;
    mtime_base_value_ = 0;
    mtime_base_cycle_ = ctx_.timeline.now();
    // The obfuscation key is sampled on a pwrgood cycle only while debug is locked and
    // scan mode is off (soc_ifc_top.sv internal_obf_key wel).
    if (cfg_.security.debug_locked && !cfg_.security.scan_mode)
      for (unsigned i = 0; i < 8; ++i) reg(internal_obf_key, i) = cfg_.obf_key[i];
  }
  // iTRNG_en, LMS_acc_en (always 1), SUBSYSTEM_MODE_en and OCP_LOCK_MODE_en (2.1, subsystem only).
  const SocStraps& st = cfg_.straps;
  reg(CPTRA_HW_CONFIG) = (cfg_.itrng ? 1u : 0u) | (1u << 4) | (is_2x(cfg_.hw) && st.subsystem_mode ? 1u << 5 : 0) |
                         (cfg_.hw == HwGen::V2_1 && st.subsystem_mode && st.ocp_lock_en ? 1u << 6 : 0);
  if (is_2x(cfg_.hw) && !(reg(CPTRA_FUSE_WR_DONE) & 1)) capture_straps();
  reg(CPTRA_SECURITY_STATE) = cfg_.security.bits();
  boot_fsm_ = kBootIdle;
  fuse_wr_done_observed_ = false;
  error_fatal_ = error_non_fatal_ = false;
  for (auto& w : wdt_) w = Wdt{};
  for (auto& e : wdt_event_) ctx_.timeline.cancel(e);
  timer_level_ = false;
  update_timer_irq();
}

// The SS_* straps load from the input ports while the non-core reset is asserted, unless
// fuses were already declared done (soc_ifc_top.sv strap_we_pre_fuse_done).
void SocIfc::capture_straps() {
  const SocStraps& st = cfg_.straps;
  auto split = [this](unsigned lo, unsigned hi, uint64_t v) {
    if (!def(lo).exists()) return;
    reg(lo) = static_cast<uint32_t>(v);
    reg(hi) = static_cast<uint32_t>(v >> 32);
  };
  split(SS_CALIPTRA_BASE_ADDR_L, SS_CALIPTRA_BASE_ADDR_H, st.caliptra_base_addr);
  split(SS_MCI_BASE_ADDR_L, SS_MCI_BASE_ADDR_H, st.mci_base_addr);
  split(SS_RECOVERY_IFC_BASE_ADDR_L, SS_RECOVERY_IFC_BASE_ADDR_H, st.recovery_ifc_base_addr);
  split(SS_OTP_FC_BASE_ADDR_L, SS_OTP_FC_BASE_ADDR_H, st.otp_fc_base_addr);
  split(SS_UDS_SEED_BASE_ADDR_L, SS_UDS_SEED_BASE_ADDR_H, st.uds_seed_base_addr);
  split(SS_EXTERNAL_STAGING_AREA_BASE_ADDR_L, SS_EXTERNAL_STAGING_AREA_BASE_ADDR_H, st.external_staging_area_base_addr);
  split(SS_KEY_RELEASE_BASE_ADDR_L, SS_KEY_RELEASE_BASE_ADDR_H, st.key_release_base_addr);
  if (def(SS_KEY_RELEASE_SIZE).exists()) reg(SS_KEY_RELEASE_SIZE) = st.key_release_size & 0xFFFC;  // dword multiple
  reg(SS_PROD_DEBUG_UNLOCK_AUTH_PK_HASH_REG_BANK_OFFSET) = st.prod_debug_unlock_auth_pk_hash_reg_bank_offset;
  reg(SS_NUM_OF_PROD_DEBUG_UNLOCK_AUTH_PK_HASHES) = st.num_of_prod_debug_unlock_auth_pk_hashes;
  reg(SS_CALIPTRA_DMA_AXI_USER) = st.caliptra_dma_axi_user;
  for (unsigned i = 0; i < 4; ++i) reg(SS_STRAP_GENERIC, i) = st.generic[i];
  reg(SS_DEBUG_INTENT) = st.subsystem_mode && st.debug_intent ? 1 : 0;  // passive mode ties it to 0
}

void SocIfc::power_on() {
  // BOOT_IDLE -> BOOT_FUSE once the reset window closes. If fuses were already written
  // (warm reset keeps the pwrgood-domain fuse registers), a new FUSE_WR_DONE is still needed.
  boot_fsm_ = kBootFuse;
}

bool SocIfc::valid_mbox_user(uint32_t user) const {
  constexpr uint32_t kDefaultValidUser = 0xFFFF'FFFF;  // CPTRA_DEF_MBOX_VALID_PAUSER
  if (user == kDefaultValidUser) return true;
  for (unsigned i = 0; i < 5; ++i)
    if ((reg(CPTRA_MBOX_PAUSER_LOCK, i) & 1) && reg(CPTRA_MBOX_VALID_PAUSER, i) == user) return true;
  return false;
}

bool SocIfc::valid_fuse_user(uint32_t user) const {
  return !(reg(CPTRA_FUSE_PAUSER_LOCK) & 1) || reg(CPTRA_FUSE_VALID_PAUSER) == user;
}

bool SocIfc::valid_trng_user(const Requester& who) const {
  return who.is_soc() && (!(reg(CPTRA_TRNG_PAUSER_LOCK) & 1) || reg(CPTRA_TRNG_VALID_PAUSER) == who.axi_user);
}

void SocIfc::set_security_state(SecurityState s) {
  const bool debug_changed = s.debug_locked != cfg_.security.debug_locked;
  const bool scan_rise = s.scan_mode && !cfg_.security.scan_mode;
  cfg_.security = s;
  reg(CPTRA_SECURITY_STATE) = s.bits();
  if (debug_changed) intr_.notif_event(kNotifDebugLocked);
  if (scan_rise) intr_.notif_event(kNotifScanMode);
}

void SocIfc::set_generic_input_wires(unsigned index, uint32_t value) {
  if (index > 1) return;
  const bool toggled = reg(CPTRA_GENERIC_INPUT_WIRES, index) != value;
  reg(CPTRA_GENERIC_INPUT_WIRES, index) = value;
  if (toggled) intr_.notif_event(kNotifGenInToggle);
}

void SocIfc::mbox_protocol_error(bool no_lock, bool out_of_order) {
  const uint32_t bits = (no_lock ? 1u : 0u) | (out_of_order ? 2u : 0u);
  if (!bits) return;
  reg(CPTRA_HW_ERROR_NON_FATAL) |= bits;
  intr_.error_event(kErrCmdFail);
  if (bits & ~reg(internal_hw_error_non_fatal_mask)) error_non_fatal_ = true;
  update_error_pins();
}

// caliptra_top.sv cptra_in_debug_scan_mode (no scan mode here): 2.0 adds every lifecycle but
// production and manufacturing, 2.1 the subsystem's debug intent (SS_DEBUG_INTENT).
bool SocIfc::in_debug_scan_mode() const {
  if (!debug_locked()) return true;
  if (!is_2x(cfg_.hw)) return false;
  const auto lc = cfg_.security.lifecycle;
  if (lc != SecurityState::Production && lc != SecurityState::Manufacturing) return true;
  return cfg_.hw == HwGen::V2_1 && (reg(SS_DEBUG_INTENT) & 1);
}

void SocIfc::clear_obf_secrets() {
  for (unsigned i = 0; i < def(internal_obf_key).count_; ++i) reg(internal_obf_key, i) = 0;
  for (unsigned i = 0; i < def(fuse_uds_seed).count_; ++i) reg(fuse_uds_seed, i) = 0;
  for (unsigned i = 0; i < def(fuse_field_entropy).count_; ++i) reg(fuse_field_entropy, i) = 0;
}

void SocIfc::fw_update_reset_done() {
  reg(CPTRA_RESET_REASON) = (reg(CPTRA_RESET_REASON) & ~0x3u) | 0x1;  // FW_UPD_RESET, WARM_RESET cleared
  reg(internal_iccm_lock) = 0;  // iccm_unlock pulse on BOOT_WAIT -> BOOT_DONE
  if (wire_.iccm_lock) wire_.iccm_lock(false);
  boot_fsm_ = kBootDone;
}

// ---------------------------------------------------------------------------------------

bus::RegBlock::Verdict SocIfc::write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old,
                                          const Requester& who) {
  const bool fuses_locked = reg(CPTRA_FUSE_WR_DONE) & 1;
  switch (id) {
    case CPTRA_MBOX_VALID_PAUSER:
    case CPTRA_MBOX_PAUSER_LOCK:
      return (reg(CPTRA_MBOX_PAUSER_LOCK, index) & 1) ? Verdict::Ignore : Verdict::Store;
    case CPTRA_TRNG_VALID_PAUSER:
    case CPTRA_TRNG_PAUSER_LOCK:
      return (reg(CPTRA_TRNG_PAUSER_LOCK) & 1) ? Verdict::Ignore : Verdict::Store;
    case CPTRA_FUSE_VALID_PAUSER:
    case CPTRA_FUSE_PAUSER_LOCK:
      return (reg(CPTRA_FUSE_PAUSER_LOCK) & 1) ? Verdict::Ignore : Verdict::Store;
    case CPTRA_TRNG_DATA:
      return valid_trng_user(who) ? Verdict::Store : Verdict::Ignore;
    case CPTRA_TRNG_STATUS: {
      // DATA_REQ: core only (swwel = soc_req). DATA_WR_DONE: valid TRNG user only, and
      // it reads 0 while DATA_REQ is 0 (hwclr).
      uint32_t req = old & 1, done = old & 2;
      if (!who.is_soc()) req = next & 1;
      if (valid_trng_user(who)) done = next & 2;
      if (!req) done = 0;
      next = req | done;
      return Verdict::Store;
    }
    case CPTRA_FUSE_WR_DONE:
      // RW1-S from the SoC while not yet done (swwe = soc_req & ~done); the write is observed
      // either way (after_write).
      if (old & 1) next = old;
      return Verdict::Store;
    case fuse_uds_seed:
    case fuse_field_entropy: {
      // Write-once secrets (RDL sw = w1), and only before fuses are done.
      const uint32_t bit = 1u << index;
      uint32_t& written = id == fuse_uds_seed ? uds_written_ : fe_written_;
      if (fuses_locked || (written & bit)) return Verdict::Ignore;
      written |= bit;
      return Verdict::Store;
    }
    case fuse_key_manifest_pk_hash: case fuse_key_manifest_pk_hash_mask: case fuse_owner_pk_hash:
    case fuse_fmc_key_manifest_svn: case fuse_runtime_svn: case fuse_anti_rollback_disable:
    case fuse_idevid_cert_attr: case fuse_idevid_manuf_hsm_id: case fuse_life_cycle: case fuse_lms_verify:
    case fuse_lms_revocation: case fuse_soc_stepping_id: case fuse_mldsa_revocation: case fuse_manuf_dbg_unlock_token:
    case fuse_pqc_key_type: case fuse_soc_manifest_svn: case fuse_soc_manifest_max_svn: case fuse_hek_seed:
      return fuses_locked ? Verdict::Ignore : Verdict::Store;
    // 2.x straps: either side may overwrite them until CPTRA_FUSE_WR_DONE.
    case SS_CALIPTRA_BASE_ADDR_L: case SS_CALIPTRA_BASE_ADDR_H: case SS_MCI_BASE_ADDR_L: case SS_MCI_BASE_ADDR_H:
    case SS_RECOVERY_IFC_BASE_ADDR_L: case SS_RECOVERY_IFC_BASE_ADDR_H: case SS_OTP_FC_BASE_ADDR_L:
    case SS_OTP_FC_BASE_ADDR_H: case SS_UDS_SEED_BASE_ADDR_L: case SS_UDS_SEED_BASE_ADDR_H:
    case SS_PROD_DEBUG_UNLOCK_AUTH_PK_HASH_REG_BANK_OFFSET: case SS_NUM_OF_PROD_DEBUG_UNLOCK_AUTH_PK_HASHES:
    case SS_CALIPTRA_DMA_AXI_USER: case SS_EXTERNAL_STAGING_AREA_BASE_ADDR_L: case SS_EXTERNAL_STAGING_AREA_BASE_ADDR_H:
    case SS_KEY_RELEASE_BASE_ADDR_L: case SS_KEY_RELEASE_BASE_ADDR_H: case SS_KEY_RELEASE_SIZE: case SS_STRAP_GENERIC:
      return fuses_locked ? Verdict::Ignore : Verdict::Store;
    case CPTRA_HW_CAPABILITIES:
    case CPTRA_FW_CAPABILITIES:
    case CPTRA_CAP_LOCK:
      // Firmware's until it sets CPTRA_CAP_LOCK (which only a warm reset clears).
      return who.is_soc() || (reg(CPTRA_CAP_LOCK) & 1) ? Verdict::Ignore : Verdict::Store;
    case CPTRA_OWNER_PK_HASH:
    case CPTRA_OWNER_PK_HASH_LOCK:
      // The SoC's until it sets the lock (which only a power cycle clears).
      return !who.is_soc() || (reg(CPTRA_OWNER_PK_HASH_LOCK) & 1) ? Verdict::Ignore : Verdict::Store;
    case SS_OCP_LOCK_CTRL:
      // Set-once by firmware, and only when the integration enables OCP LOCK (subsystem).
      if (who.is_soc() || !cfg_.straps.subsystem_mode || !cfg_.straps.ocp_lock_en || (old & 1)) return Verdict::Ignore;
      return Verdict::Store;
    case SS_SOC_DBG_UNLOCK_LEVEL:
      return who.is_soc() || !(reg(SS_DEBUG_INTENT) & 1) ? Verdict::Ignore : Verdict::Store;
    case SS_DBG_SERVICE_REG_REQ:
      next = debug_service_request(next, old);
      return Verdict::Store;
    case SS_DBG_SERVICE_REG_RSP:
      if (who.is_soc()) return Verdict::Ignore;
      next = debug_service_response(next, old);
      return Verdict::Store;
    case internal_obf_key:
      return Verdict::Ignore;  // swwe = 0: only hardware loads it
    case internal_rv_mtime_l:
    case internal_rv_mtime_h: {
      // Writes replace one half of the running counter.
      const uint64_t now = mtime();
      const uint64_t v = id == internal_rv_mtime_l ? ((now & ~0xFFFF'FFFFull) | next)
                                                   : ((now & 0xFFFF'FFFFull) | (uint64_t{next} << 32));
      mtime_base_value_ = v;
      mtime_base_cycle_ = ctx_.timeline.now();
      return Verdict::Store;
    }
    default:
      return Verdict::Store;
  }
}

// SS_DBG_SERVICE_REG_REQ (soc_ifc_top.sv): the manufacturing / production unlock requests
// are writable only with the debug-intent strap in the matching lifecycle state; the UDS
// programming request is not writable by software at all.
uint32_t SocIfc::debug_service_request(uint32_t next, uint32_t old) const {
  const bool intent = reg(SS_DEBUG_INTENT) & 1;
  const auto lc = cfg_.security.lifecycle;
  uint32_t v = old;
  if (intent && lc == SecurityState::Manufacturing) v = (v & ~1u) | (next & 1u);
  if (intent && lc == SecurityState::Production) v = (v & ~2u) | (next & 2u);
  return v;
}

// SS_DBG_SERVICE_REG_RSP, firmware side: the manufacturing (bits 2:0) and production
// (5:3) fields need the debug-intent strap and the matching lifecycle; a SUCCESS bit is
// sticky until warm reset. The UDS programming fields (8:6) and TAP_MAILBOX_AVAILABLE (9)
// are always firmware-writable.
uint32_t SocIfc::debug_service_response(uint32_t next, uint32_t old) const {
  const bool intent = reg(SS_DEBUG_INTENT) & 1;
  const auto lc = cfg_.security.lifecycle;
  uint32_t writable = 0x3C0;
  if (intent && lc == SecurityState::Manufacturing) writable |= (old & 1) ? 0x6 : 0x7;
  if (intent && lc == SecurityState::Production) writable |= (old & 8) ? 0x30 : 0x38;
  return (old & ~writable) | (next & writable);
}

void SocIfc::after_write(unsigned id, unsigned index, uint32_t old, const Requester& who) {
  if ((id == CPTRA_BOOT_STATUS || id == CPTRA_FLOW_STATUS || id == CPTRA_FW_ERROR_FATAL ||
       id == CPTRA_FW_ERROR_NON_FATAL) && wire_.status_written)
    wire_.status_written(id, reg(id));
  switch (id) {
    case CPTRA_HW_ERROR_FATAL: case CPTRA_HW_ERROR_NON_FATAL: case internal_hw_error_fatal_mask:
    case internal_hw_error_non_fatal_mask: case internal_fw_error_fatal_mask: case internal_fw_error_non_fatal_mask:
      update_error_pins();
      break;
    case CPTRA_FW_ERROR_FATAL:
      // A write setting an unmasked bit that was clear raises cptra_error_fatal, which only
      // a reset clears (soc_ifc_top.sv).
      if (reg(id) & ~old & ~reg(internal_fw_error_fatal_mask)) error_fatal_ = true;
      update_error_pins();
      break;
    case CPTRA_FW_ERROR_NON_FATAL:
      if (reg(id) & ~old & ~reg(internal_fw_error_non_fatal_mask)) error_non_fatal_ = true;
      update_error_pins();
      break;
    case CPTRA_TRNG_CTRL:
      if (reg(id) & 1)
        for (unsigned i = 0; i < 12; ++i) reg(CPTRA_TRNG_DATA, i) = 0;
      reg(id) = 0;  // singlepulse
      break;
    case CPTRA_TRNG_STATUS:
      if (((reg(id) ^ old) & 1) && wire_.trng_request) wire_.trng_request(reg(id) & 1);
      break;
    case CPTRA_FUSE_WR_DONE:
      // soc_ifc_top.sv fuse_wr_done_reg_write_observed latches the field's swmod, which any
      // write raises, even one swwe refuses: after a warm reset (done is sticky) the SoC's
      // new write releases the core. BOOT_FUSE -> BOOT_DONE needs the observed write and
      // done (no breakpoint pin modelled as set).
      fuse_wr_done_observed_ = true;
      if ((reg(id) & 1) && boot_fsm_ == kBootFuse) {
        boot_fsm_ = kBootDone;
        if (wire_.release_core) wire_.release_core();
      }
      break;
    case CPTRA_BOOTFSM_GO:
      // Only consulted when the BootFSM breakpoint pin holds the FSM in BOOT_WAIT.
      if (boot_fsm_ == kBootWait && (reg(id) & 1)) {
        boot_fsm_ = kBootDone;
        if (wire_.release_core) wire_.release_core();
      }
      break;
    case CPTRA_GENERIC_OUTPUT_WIRES:
      if (index == 0 && wire_.output_wire0) wire_.output_wire0(reg(id, 0));
      break;
    case internal_iccm_lock:
      if ((reg(id) & 1) && !(old & 1) && wire_.iccm_lock) wire_.iccm_lock(true);
      break;
    case internal_fw_update_reset:
      if (reg(id) & 1) {
        reg(id) = 0;  // singlepulse
        if (boot_fsm_ == kBootDone) {
          boot_fsm_ = kBootFwRst;
          if (wire_.fw_update_reset) wire_.fw_update_reset();
        }
      }
      break;
    case internal_nmi_vector:
      if (wire_.nmi_vector) wire_.nmi_vector(reg(id));
      break;
    case internal_rv_mtime_l: case internal_rv_mtime_h: case internal_rv_mtimecmp_l: case internal_rv_mtimecmp_h:
      update_timer_irq();
      break;
    case CPTRA_WDT_TIMER1_EN: case CPTRA_WDT_TIMER2_EN: case CPTRA_WDT_TIMER1_TIMEOUT_PERIOD:
    case CPTRA_WDT_TIMER2_TIMEOUT_PERIOD:
      wdt_schedule();
      break;
    case CPTRA_WDT_TIMER1_CTRL:
    case CPTRA_WDT_TIMER2_CTRL:
      if (reg(id) & 1) wdt_restart(id == CPTRA_WDT_TIMER1_CTRL ? 0 : 1);
      reg(id) = 0;  // singlepulse
      break;
    default:
      break;
  }
}

bool SocIfc::read_hook(unsigned id, unsigned index, uint32_t& value, const Requester& who) {
  switch (id) {
    case CPTRA_FLOW_STATUS:
      value = (value & ~((7u << 25) | (1u << 30))) | (boot_fsm_ << 25) | (ready_for_fuses() ? 1u << 30 : 0);
      break;
    case CPTRA_SECURITY_STATE: value = cfg_.security.bits(); break;
    case CPTRA_HW_REV_ID: value = generation_id(cfg_.hw) | (reg(fuse_soc_stepping_id) << 16); break;
    case CPTRA_TRNG_DATA:
      // A locked TRNG interface hides the data from other SoC users.
      if (who.is_soc() && (reg(CPTRA_TRNG_PAUSER_LOCK) & 1) && who.axi_user != reg(CPTRA_TRNG_VALID_PAUSER)) value = 0;
      break;
    case CPTRA_WDT_STATUS: value = (wdt_[0].timed_out ? 1u : 0) | (wdt_[1].timed_out ? 2u : 0); break;
    case internal_rv_mtime_l: value = static_cast<uint32_t>(mtime()); break;
    case internal_rv_mtime_h: value = static_cast<uint32_t>(mtime() >> 32); break;
    default: break;
  }
  return true;
}

void SocIfc::update_error_pins() {
  // Non-fatal deasserts once no unmasked hardware or firmware non-fatal error remains set.
  const bool hw_nf = reg(CPTRA_HW_ERROR_NON_FATAL) & ~reg(internal_hw_error_non_fatal_mask) & 0x7;
  const bool fw_nf = reg(CPTRA_FW_ERROR_NON_FATAL) & ~reg(internal_fw_error_non_fatal_mask);
  if (!hw_nf && !fw_nf) error_non_fatal_ = false;
  if (wire_.error_pins) wire_.error_pins(error_fatal_, error_non_fatal_);
}

// ---------------------------------------------------------------------------------------
// mtime: a free-running counter of core cycles (internal_rv_mtime_*); MTIP = mtime >= mtimecmp.

uint64_t SocIfc::mtime() const { return mtime_base_value_ + (ctx_.timeline.now() - mtime_base_cycle_); }

void SocIfc::update_timer_irq() {
  const uint64_t cmp = (uint64_t{reg(internal_rv_mtimecmp_h)} << 32) | reg(internal_rv_mtimecmp_l);
  const uint64_t now = mtime();
  const bool level = now >= cmp;
  if (level != timer_level_) {
    timer_level_ = level;
    if (wire_.timer_irq) wire_.timer_irq(level);
  }
  if (!level) ctx_.timeline.schedule_in(mtimecmp_event_, cmp - now);
  else ctx_.timeline.cancel(mtimecmp_event_);
}

// ---------------------------------------------------------------------------------------
// Watchdog (wdt.sv): timer1 counts while enabled and stops at its period (t1_timeout).
// With timer2 disabled the timers cascade: timer2 counts while timer1 is timed out, and
// its timeout raises the NMI. Clearing the timeout interrupt status restarts a timer.

uint64_t SocIfc::wdt_period(unsigned t) const {
  const unsigned id = t == 0 ? CPTRA_WDT_TIMER1_TIMEOUT_PERIOD : CPTRA_WDT_TIMER2_TIMEOUT_PERIOD;
  return (uint64_t{reg(id, 1)} << 32) | reg(id, 0);
}

void SocIfc::wdt_restart(unsigned t) {
  Wdt& w = wdt_[t];
  if (w.timed_out) return;  // restart is ignored once timed out
  w.count = 0;
  w.base = ctx_.timeline.now();
  wdt_schedule();
}

void SocIfc::wdt_schedule() {
  const uint64_t now = ctx_.timeline.now();
  const bool t1_en = reg(CPTRA_WDT_TIMER1_EN) & 1, t2_en = reg(CPTRA_WDT_TIMER2_EN) & 1;
  const bool running[2] = {t1_en && !wdt_[0].timed_out, (t2_en || wdt_[0].timed_out) && !wdt_[1].timed_out};
  for (unsigned t = 0; t < 2; ++t) {
    Wdt& w = wdt_[t];
    if (w.running) w.count += now - w.base;  // settle
    w.base = now;
    w.running = running[t];
    const uint64_t period = wdt_period(t);
    if (w.running && w.count <= period) ctx_.timeline.schedule_in(wdt_event_[t], period - w.count);
    else ctx_.timeline.cancel(wdt_event_[t]);
  }
}

void SocIfc::wdt_timeout(unsigned t) {
  wdt_schedule();  // settle counts
  wdt_[t].timed_out = true;
  const bool t2_en = reg(CPTRA_WDT_TIMER2_EN) & 1;
  if (t == 0) {
    intr_.error_event(kErrWdtTimer1);
  } else if (t2_en) {
    intr_.error_event(kErrWdtTimer2);
  } else {
    // Cascaded timeout: NMI to the core and the nmi_pin fatal error (unless masked).
    reg(CPTRA_HW_ERROR_FATAL) |= 0x4;
    if (!(reg(internal_hw_error_fatal_mask) & 0x4)) error_fatal_ = true;
    update_error_pins();
    if (wire_.wdt_nmi) wire_.wdt_nmi();
  }
  wdt_schedule();
}

// Firmware clearing a WDT timeout status bit services that timer (soc_ifc_top.sv
// wdt_error_t*_intr_serviced): its count restarts from zero.
void SocIfc::wdt_serviced(uint32_t cleared) {
  const bool t2_en = reg(CPTRA_WDT_TIMER2_EN) & 1;
  bool changed = false;
  if ((cleared & (1u << kErrWdtTimer1)) && wdt_[0].timed_out && (t2_en || !wdt_[1].timed_out)) {
    wdt_schedule();
    wdt_[0] = Wdt{0, ctx_.timeline.now(), false, false};
    if (!t2_en && !wdt_[1].timed_out) wdt_[1] = Wdt{0, ctx_.timeline.now(), false, false};
    changed = true;
  }
  if ((cleared & (1u << kErrWdtTimer2)) && wdt_[1].timed_out && t2_en) {
    wdt_schedule();
    wdt_[1] = Wdt{0, ctx_.timeline.now(), false, false};
    changed = true;
  }
  if (changed) wdt_schedule();
}

}  // namespace calemu::caliptra
