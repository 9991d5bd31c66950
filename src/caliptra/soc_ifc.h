// soc_ifc: the SoC interface register block (caliptra-rtl src/soc_ifc/rtl/soc_ifc_*.rdl,
// soc_ifc_top.sv, soc_ifc_boot_fsm.sv, wdt.sv): error and status registers, fuses, the
// boot FSM that releases the core, the external TRNG handshake, generic wires, the
// cascaded watchdog, mtime/mtimecmp, ICCM lock, NMI vector and firmware-update reset.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "bus/regfile.h"
#include "bus/timeline.h"
#include "caliptra/block_context.h"
#include "caliptra/intr_block.h"

namespace calemu::caliptra {

// Security state pins (RDL CPTRA_SECURITY_STATE): lifecycle 1:0, debug_locked 2, scan_mode 3.
struct SecurityState {
  enum Lifecycle : uint8_t { Unprovisioned = 0, Manufacturing = 1, Production = 3 };
  Lifecycle lifecycle = Unprovisioned;
  bool debug_locked = false;
  bool scan_mode = false;
  uint32_t bits() const { return lifecycle | (debug_locked ? 4u : 0u) | (scan_mode ? 8u : 0u); }
};

// Subsystem straps (2.x, soc_ifc_subsystem_reg.rdl): captured into the SS_* registers at
// reset; the SoC may overwrite most of them until CPTRA_FUSE_WR_DONE. Passive-mode
// integrations usually leave them at zero.
struct SocStraps {
  uint64_t caliptra_base_addr = 0, mci_base_addr = 0, recovery_ifc_base_addr = 0, otp_fc_base_addr = 0,
           uds_seed_base_addr = 0, external_staging_area_base_addr = 0, key_release_base_addr = 0;
  uint32_t key_release_size = 0;
  uint32_t prod_debug_unlock_auth_pk_hash_reg_bank_offset = 0;
  uint32_t num_of_prod_debug_unlock_auth_pk_hashes = 8;
  uint32_t caliptra_dma_axi_user = 0;
  std::array<uint32_t, 4> generic{};
  bool debug_intent = false;      // subsystem mode only
  bool subsystem_mode = false;    // CPTRA_HW_CONFIG.SUBSYSTEM_MODE_en
  bool ocp_lock_en = false;       // 2.1 subsystem: CPTRA_HW_CONFIG.OCP_LOCK_MODE_en
};

// What soc_ifc drives outside itself; the machine connects these.
struct SocIfcWiring {
  std::function<void()> release_core;                  // boot FSM reached BOOT_DONE
  std::function<void()> fw_update_reset;               // internal_fw_update_reset.core_rst
  std::function<void(uint32_t)> nmi_vector;            // internal_nmi_vector
  std::function<void()> wdt_nmi;                       // cascaded WDT timer2 timeout
  std::function<void(bool)> timer_irq;                 // mtime >= mtimecmp -> mip.MTIP
  std::function<void(bool)> iccm_lock;                 // internal_iccm_lock
  std::function<void(uint32_t word)> output_wire0;     // firmware wrote CPTRA_GENERIC_OUTPUT_WIRES[0]
  std::function<void(bool)> trng_request;              // CPTRA_TRNG_STATUS.DATA_REQ changed
  std::function<void(bool fatal, bool non_fatal)> error_pins;  // cptra_error_fatal / non_fatal
  std::function<void(unsigned reg, uint32_t value)> status_written;  // boot/flow status, fw errors
};

class SocIfc : public bus::RegBlock, public SocSecrets {
 public:
  struct Config {
    HwGen hw = HwGen::V1;
    bool itrng = false;            // CPTRA_HW_CONFIG.iTRNG_en (integration choice)
    std::array<uint32_t, 8> obf_key{};  // cptra_obf_key pins
    SecurityState security;
    SocStraps straps;              // 2.x
  };

  // The block's registers in every generation. Columns: id, 1.x offset, 2.x offset (kNo:
  // absent), attributes. Registers that only 2.1 has, and the 2.x names of renamed
  // registers, are listed in soc_ifc.cpp; the RDL is soc_ifc_reg.rdl of each caliptra-rtl.

#define CALEMU_SOC_IFC_REGS(X)                                                                                              \
  X(CPTRA_HW_ERROR_FATAL, 0x000, 0x000,                             .ro(0).w1c(0xF).sticky().hook_write())                       \
  X(CPTRA_HW_ERROR_NON_FATAL, 0x004, 0x004,                         .ro(0).w1c(0x7).sticky().hook_write())                       \
  X(CPTRA_FW_ERROR_FATAL, 0x008, 0x008,                             .sticky().hook_write())                                      \
  X(CPTRA_FW_ERROR_NON_FATAL, 0x00C, 0x00C,                         .sticky().hook_write())                                      \
  X(CPTRA_HW_ERROR_ENC, 0x010, 0x010,                               .sticky())                                                   \
  X(CPTRA_FW_ERROR_ENC, 0x014, 0x014,                               .sticky())                                                   \
  X(CPTRA_FW_EXTENDED_ERROR_INFO, 0x018, 0x018,                     .count(8).sticky())                                          \
  X(CPTRA_BOOT_STATUS, 0x038, 0x038,                                .cpu_write_only().hook_write())                              \
  X(CPTRA_FLOW_STATUS, 0x03C, 0x03C,                                .rw(0xB1FF'FFFF).mask(0xFFFF'FFFF).cpu_write_only().hooks()) \
  X(CPTRA_RESET_REASON, 0x040, 0x040,                               .ro(0x3))                                                    \
  X(CPTRA_SECURITY_STATE, 0x044, 0x044,                             .ro(0xF).hook_read())                                        \
  X(CPTRA_MBOX_VALID_PAUSER, 0x048, 0x048,                          .count(5).reset(0xFFFF'FFFF).hook_write())                   \
  X(CPTRA_MBOX_PAUSER_LOCK, 0x05C, 0x05C,                           .count(5).rw(0x1).hook_write())                              \
  X(CPTRA_TRNG_VALID_PAUSER, 0x070, 0x070,                          .reset(0xFFFF'FFFF).hook_write())                            \
  X(CPTRA_TRNG_PAUSER_LOCK, 0x074, 0x074,                           .rw(0x1).hook_write())                                       \
  X(CPTRA_TRNG_DATA, 0x078, 0x078,                                  .count(12).soc_write_only().hooks())                         \
  X(CPTRA_TRNG_CTRL, 0x0A8, 0x0A8,                                  .rw(0x1).cpu_write_only().hook_write())                      \
  X(CPTRA_TRNG_STATUS, 0x0AC, 0x0AC,                                .rw(0x3).hook_write())                                       \
  X(CPTRA_FUSE_WR_DONE, 0x0B0, 0x0B0,                               .rw(0x1).soc_write_only().sticky().hook_write())             \
  X(CPTRA_TIMER_CONFIG, 0x0B4, 0x0B4,                               .sticky())                                                   \
  X(CPTRA_BOOTFSM_GO, 0x0B8, 0x0B8,                                 .rw(0x1).soc_write_only().hook_write())                      \
  X(CPTRA_DBG_MANUF_SERVICE_REG, 0x0BC, 0x0BC,                     )                                               \
  X(CPTRA_CLK_GATING_EN, 0x0C0, 0x0C0,                              .rw(0x1).soc_write_only())                                   \
  X(CPTRA_GENERIC_INPUT_WIRES, 0x0C4, 0x0C4,                        .count(2).ro())                                              \
  X(CPTRA_GENERIC_OUTPUT_WIRES, 0x0CC, 0x0CC,                       .count(2).cpu_write_only().hook_write())                     \
  X(CPTRA_HW_REV_ID, 0x0D4, 0x0D4,                                  .ro().reset(0x11).hook_read())                               \
  X(CPTRA_FW_REV_ID, 0x0D8, 0x0D8,                                  .count(2).cpu_write_only())                                  \
  X(CPTRA_HW_CONFIG, 0x0E0, 0x0E0,                                  .ro(0x1F))                                                   \
  X(CPTRA_WDT_TIMER1_EN, 0x0E4, 0x0E4,                              .rw(0x1).cpu_write_only().hook_write())                      \
  X(CPTRA_WDT_TIMER1_CTRL, 0x0E8, 0x0E8,                            .rw(0x1).cpu_write_only().hook_write())                      \
  X(CPTRA_WDT_TIMER1_TIMEOUT_PERIOD, 0x0EC, 0x0EC,                  .count(2).reset(0xFFFF'FFFF).cpu_write_only().hook_write())  \
  X(CPTRA_WDT_TIMER2_EN, 0x0F4, 0x0F4,                              .rw(0x1).cpu_write_only().hook_write())                      \
  X(CPTRA_WDT_TIMER2_CTRL, 0x0F8, 0x0F8,                            .rw(0x1).cpu_write_only().hook_write())                      \
  X(CPTRA_WDT_TIMER2_TIMEOUT_PERIOD, 0x0FC, 0x0FC,                  .count(2).reset(0xFFFF'FFFF).cpu_write_only().hook_write())  \
  X(CPTRA_WDT_STATUS, 0x104, 0x104,                                 .rw(0x3).cpu_write_only().hook_read())                       \
  X(CPTRA_FUSE_VALID_PAUSER, 0x108, 0x108,                          .reset(0xFFFF'FFFF).sticky().hook_write())                   \
  X(CPTRA_FUSE_PAUSER_LOCK, 0x10C, 0x10C,                           .rw(0x1).sticky().hook_write())                              \
  X(CPTRA_WDT_CFG, 0x110, 0x110,                                    .count(2).sticky())                                          \
  X(CPTRA_iTRNG_ENTROPY_CONFIG_0, 0x118, 0x118,                    )                                               \
  X(CPTRA_iTRNG_ENTROPY_CONFIG_1, 0x11C, 0x11C,                    )                                               \
  X(CPTRA_RSVD_REG, 0x120, 0x120,                                   .count(2))                                                   \
  X(CPTRA_HW_CAPABILITIES, kNo, 0x128,                              .hook_write())                                               \
  X(CPTRA_FW_CAPABILITIES, kNo, 0x12C,                              .hook_write())                                               \
  X(CPTRA_CAP_LOCK, kNo, 0x130,                                     .rw(0x1).hook_write())                                       \
  X(CPTRA_OWNER_PK_HASH, kNo, 0x140,                                .count(12).sticky().hook_write())                            \
  X(CPTRA_OWNER_PK_HASH_LOCK, kNo, 0x170,                           .rw(0x1).sticky().hook_write())                              \
  X(fuse_uds_seed, 0x200, 0x200,                                    .count(12).wo().sticky().hook_write())                       \
  X(fuse_field_entropy, 0x230, 0x240,                               .count(8).wo().sticky().hook_write())                        \
  X(fuse_key_manifest_pk_hash, 0x250, 0x260,                        .count(12).sticky().hook_write())                            \
  X(fuse_key_manifest_pk_hash_mask, 0x280, 0x290,                   .rw(0xF).sticky().hook_write())                              \
  X(fuse_owner_pk_hash, 0x284, kNo,                                 .count(12).sticky().hook_write())                            \
  X(fuse_fmc_key_manifest_svn, 0x2B4, 0x2B4,                        .sticky().hook_write())                                      \
  X(fuse_runtime_svn, 0x2B8, 0x2B8,                                 .count(4).sticky().hook_write())                             \
  X(fuse_anti_rollback_disable, 0x2C8, 0x2C8,                       .rw(0x1).sticky().hook_write())                              \
  X(fuse_idevid_cert_attr, 0x2CC, 0x2CC,                            .count(24).sticky().hook_write())                            \
  X(fuse_idevid_manuf_hsm_id, 0x32C, 0x32C,                         .count(4).sticky().hook_write())                             \
  X(fuse_life_cycle, 0x33C, kNo,                                    .rw(0x3).sticky().hook_write())                              \
  X(fuse_lms_verify, 0x340, kNo,                                    .rw(0x1).sticky().hook_write())                              \
  X(fuse_lms_revocation, 0x344, 0x340,                              .sticky().hook_write())                                      \
  X(fuse_soc_stepping_id, 0x348, 0x348,                             .rw(0xFFFF).sticky().hook_write())                           \
  X(fuse_mldsa_revocation, kNo, 0x344,                              .rw(0xF).sticky().hook_write())                              \
  X(fuse_manuf_dbg_unlock_token, kNo, 0x34C,                        .count(16).sticky().hook_write())                            \
  X(fuse_pqc_key_type, kNo, 0x38C,                                  .rw(0x3).sticky().hook_write())                              \
  X(fuse_soc_manifest_svn, kNo, 0x390,                              .count(4).sticky().hook_write())                             \
  X(fuse_soc_manifest_max_svn, kNo, 0x3A0,                          .rw(0xFF).sticky().hook_write())                             \
  X(fuse_hek_seed, kNo, 0x3C0,                                      .count(8).sticky().hook_write())                             \
  X(SS_CALIPTRA_BASE_ADDR_L, kNo, 0x500,                            .sticky().hook_write())                                      \
  X(SS_CALIPTRA_BASE_ADDR_H, kNo, 0x504,                            .sticky().hook_write())                                      \
  X(SS_MCI_BASE_ADDR_L, kNo, 0x508,                                 .sticky().hook_write())                                      \
  X(SS_MCI_BASE_ADDR_H, kNo, 0x50C,                                 .sticky().hook_write())                                      \
  X(SS_RECOVERY_IFC_BASE_ADDR_L, kNo, 0x510,                        .sticky().hook_write())                                      \
  X(SS_RECOVERY_IFC_BASE_ADDR_H, kNo, 0x514,                        .sticky().hook_write())                                      \
  X(SS_OTP_FC_BASE_ADDR_L, kNo, 0x518,                              .sticky().hook_write())                                      \
  X(SS_OTP_FC_BASE_ADDR_H, kNo, 0x51C,                              .sticky().hook_write())                                      \
  X(SS_UDS_SEED_BASE_ADDR_L, kNo, 0x520,                            .sticky().hook_write())                                      \
  X(SS_UDS_SEED_BASE_ADDR_H, kNo, 0x524,                            .sticky().hook_write())                                      \
  X(SS_PROD_DEBUG_UNLOCK_AUTH_PK_HASH_REG_BANK_OFFSET, kNo, 0x528,  .sticky().hook_write())                                      \
  X(SS_NUM_OF_PROD_DEBUG_UNLOCK_AUTH_PK_HASHES, kNo, 0x52C,         .reset(0x8).sticky().hook_write())                           \
  X(SS_DEBUG_INTENT, kNo, 0x530,                                    .ro(0x1).sticky())                                           \
  X(SS_CALIPTRA_DMA_AXI_USER, kNo, 0x534,                           .sticky().hook_write())                                      \
  X(SS_EXTERNAL_STAGING_AREA_BASE_ADDR_L, kNo, 0x538,               .sticky().hook_write())                                      \
  X(SS_EXTERNAL_STAGING_AREA_BASE_ADDR_H, kNo, 0x53C,               .sticky().hook_write())                                      \
  X(SS_KEY_RELEASE_BASE_ADDR_L, kNo, 0x540,                         .sticky().hook_write())                                      \
  X(SS_KEY_RELEASE_BASE_ADDR_H, kNo, 0x544,                         .sticky().hook_write())                                      \
  X(SS_KEY_RELEASE_SIZE, kNo, 0x548,                                .rw(0xFFFF).sticky().hook_write())                           \
  X(SS_OCP_LOCK_CTRL, kNo, 0x54C,                                   .rw(0x1).sticky().hook_write())                              \
  X(SS_STRAP_GENERIC, kNo, 0x5A0,                                   .count(4).sticky().hook_write())                             \
  X(SS_DBG_SERVICE_REG_REQ, kNo, 0x5C0,                             .rw(0x7).mask(0xFFFF'FFFF).hook_write())                     \
  X(SS_DBG_SERVICE_REG_RSP, kNo, 0x5C4,                             .rw(0x3FF).mask(0xFFFF'FFFF).hook_write())                   \
  X(SS_SOC_DBG_UNLOCK_LEVEL, kNo, 0x5C8,                            .count(2).sticky().hook_write())                             \
  X(SS_GENERIC_FW_EXEC_CTRL, kNo, 0x5D0,                            .count(4).cpu_write_only())                                  \
  X(internal_obf_key, 0x600, 0x600,                                 .count(8).wo().sticky().hook_write())                        \
  X(internal_iccm_lock, 0x620, 0x620,                               .ro(0).w1s(0x1).cpu_write_only().hook_write())               \
  X(internal_fw_update_reset, 0x624, 0x624,                         .rw(0x1).cpu_write_only().hook_write())                      \
  X(internal_fw_update_reset_wait_cycles, 0x628, 0x628,             .rw(0xFF).reset(0x5).cpu_write_only())                       \
  X(internal_nmi_vector, 0x62C, 0x62C,                              .cpu_write_only().hook_write())                              \
  X(internal_hw_error_fatal_mask, 0x630, 0x630,                     .rw(0x7).mask(0xF).cpu_write_only().hook_write())            \
  X(internal_hw_error_non_fatal_mask, 0x634, 0x634,                 .rw(0x7).cpu_write_only().hook_write())                      \
  X(internal_fw_error_fatal_mask, 0x638, 0x638,                     .cpu_write_only().hook_write())                              \
  X(internal_fw_error_non_fatal_mask, 0x63C, 0x63C,                 .cpu_write_only().hook_write())                              \
  X(internal_rv_mtime_l, 0x640, 0x640,                              .cpu_write_only().sticky().hooks())                          \
  X(internal_rv_mtime_h, 0x644, 0x644,                              .cpu_write_only().sticky().hooks())                          \
  X(internal_rv_mtimecmp_l, 0x648, 0x648,                           .cpu_write_only().sticky().hook_write())                     \
  X(internal_rv_mtimecmp_h, 0x64C, 0x64C,                           .cpu_write_only().sticky().hook_write())
#define CALEMU_SOC_IFC_ENUM(id, v1, v2, ...) id,
  enum Reg : unsigned { CALEMU_SOC_IFC_REGS(CALEMU_SOC_IFC_ENUM) kNumRegs };
#undef CALEMU_SOC_IFC_ENUM

  // Interrupt event bits (soc_ifc_internal_reg.rdl intr_block_rf).
  enum ErrorEvent : unsigned { kErrInternal, kErrInvDev, kErrCmdFail, kErrBadFuse, kErrIccmBlocked, kErrMboxEccUnc,
                               kErrWdtTimer1, kErrWdtTimer2 };
  enum NotifEvent : unsigned { kNotifCmdAvail, kNotifMboxEccCor, kNotifDebugLocked, kNotifScanMode, kNotifSocReqLock,
                               kNotifGenInToggle };
  // CPTRA_BOOT_FSM states (soc_ifc_pkg.sv).
  enum BootFsm : uint32_t { kBootIdle = 0, kBootFuse = 1, kBootFwRst = 2, kBootWait = 3, kBootDone = 4 };

  SocIfc(BlockContext& ctx, const Config& cfg, SocIfcWiring wiring);

  void reset(bus::ResetKind kind) override;
  // Cold/warm reset sequencing: the FSM enters BOOT_FUSE and waits for CPTRA_FUSE_WR_DONE.
  void power_on();
  IntrBlock& intr() { return intr_; }

  // SoC-side access rules of soc_ifc_arb.sv.
  bool valid_mbox_user(uint32_t user) const;
  bool valid_fuse_user(uint32_t user) const;
  static bool in_fuse_range(uint32_t offset) { return offset >= 0x200 && offset < 0x600; }
  // 2.x: the SoC reaches SHA512_ACC only with the DMA's AXI user (soc_ifc_top.sv valid_sha_user).
  bool valid_sha_user(uint32_t user) const { return !is_2x(cfg_.hw) || user == reg(SS_CALIPTRA_DMA_AXI_USER); }
  HwGen hw() const { return cfg_.hw; }
  // CPTRA_HW_REV_ID.CPTRA_GENERATION of the modelled caliptra-rtl release.
  static uint16_t generation_id(HwGen g);

  uint32_t boot_fsm() const { return boot_fsm_; }
  bool ready_for_fuses() const { return boot_fsm_ == kBootFuse && !fuse_wr_done_observed_; }
  bool ready_for_fw() const { return reg(CPTRA_FLOW_STATUS) & (1u << 28); }
  bool ready_for_runtime() const { return reg(CPTRA_FLOW_STATUS) & (1u << 29); }
  bool error_fatal() const { return error_fatal_; }
  bool error_non_fatal() const { return error_non_fatal_; }
  void set_security_state(SecurityState s);
  const SecurityState& security_state() const { return cfg_.security; }
  void set_generic_input_wires(unsigned index, uint32_t value);
  // Hardware events from the mailbox.
  void mbox_event_cmd_avail() { intr_.notif_event(kNotifCmdAvail); }
  void mbox_event_soc_req_lock() { intr_.notif_event(kNotifSocReqLock); }
  void mbox_event_inv_user() { intr_.error_event(kErrInvDev); }
  void mbox_protocol_error(bool no_lock, bool out_of_order);
  void iccm_write_blocked() { intr_.error_event(kErrIccmBlocked); }
  // The firmware-update reset has run: set the reason and release the core again.
  void fw_update_reset_done();
  void warm_reset_reason() { reg(CPTRA_RESET_REASON) = 0x2; }

  // SocSecrets (the DOE's view).
  std::span<const uint32_t> uds_seed() const override { return reg_array(fuse_uds_seed); }
  std::span<const uint32_t> field_entropy() const override { return reg_array(fuse_field_entropy); }
  std::span<const uint32_t> obf_key() const override { return reg_array(internal_obf_key); }
  std::span<const uint32_t> hek_seed() const override { return reg_array(fuse_hek_seed); }
  bool debug_locked() const override { return cfg_.security.debug_locked; }
  bool in_debug_scan_mode() const override;
  void clear_obf_secrets() override;

 protected:
  Verdict write_hook(unsigned id, unsigned index, uint32_t& next, uint32_t old, const bus::Requester& who) override;
  void after_write(unsigned id, unsigned index, uint32_t old, const bus::Requester& who) override;
  bool read_hook(unsigned id, unsigned index, uint32_t& value, const bus::Requester& who) override;

 private:
  static std::vector<bus::RegDef> table(HwGen g);
  uint32_t debug_service_request(uint32_t next, uint32_t old) const;
  uint32_t debug_service_response(uint32_t next, uint32_t old) const;
  void capture_straps();
  bool valid_trng_user(const bus::Requester& who) const;
  void update_error_pins();
  uint64_t mtime() const;
  void update_timer_irq();
  void wdt_restart(unsigned t);
  void wdt_schedule();
  void wdt_timeout(unsigned t);
  void wdt_serviced(uint32_t cleared_error_bits);
  uint64_t wdt_period(unsigned t) const;

  BlockContext& ctx_;
  Config cfg_;
  SocIfcWiring wire_;
  IntrBlock intr_;
  uint32_t boot_fsm_ = kBootIdle;
  bool fuse_wr_done_observed_ = false;
  uint32_t uds_written_ = 0, fe_written_ = 0;  // write-once (RDL "w1") secret words already written
  bool error_fatal_ = false, error_non_fatal_ = false;
  // mtime counts core cycles from (mtime_base_value at mtime_base_cycle).
  uint64_t mtime_base_value_ = 0, mtime_base_cycle_ = 0;
  bus::Event mtimecmp_event_;
  bool timer_level_ = false;
  // Watchdog: each timer counts from (count at base cycle) while enabled.
  struct Wdt { uint64_t count = 0; uint64_t base = 0; bool running = false; bool timed_out = false; };
  std::array<Wdt, 2> wdt_{};
  std::array<bus::Event, 2> wdt_event_;
};

}  // namespace calemu::caliptra
