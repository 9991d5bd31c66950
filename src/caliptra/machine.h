// A Caliptra core: the VeeR EL2 hart, ROM/ICCM/DCCM/mailbox SRAM and every IP block at its
// RDL address, wired as caliptra_top.sv wires them. The SoC reaches it through soc_read /
// soc_write (the APB/AXI window and the arbiter rules of soc_ifc_arb.sv).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/address_space.h"
#include "bus/axi.h"
#include "bus/memory.h"
#include "bus/timeline.h"
#include "caliptra/block_context.h"
#include "caliptra/mbox.h"
#include "caliptra/sha512_acc.h"
#include "caliptra/soc_ifc.h"
#include "rv/hart.h"

namespace calemu::caliptra {

// The default obfuscation key of the caliptra-sw hw-model (DEFAULT_CPTRA_OBF_KEY), so a
// UDS obfuscated for it deobfuscates the same way here.
extern const std::array<uint32_t, 8> kDefaultObfKey;

// "1.x" (also 1.0, 1.1, 1.2), "2.0" or "2.1"; nullopt for anything else.
std::optional<HwGen> parse_hw_gen(std::string_view name);
const char* hw_gen_name(HwGen g);  // "1.x", "2.0", "2.1"

struct MachineConfig {
  HwGen hw = HwGen::V1;
  std::vector<uint8_t> rom;            // padded to the ROM size; an oversize image is an error
  std::array<uint32_t, 8> obf_key = kDefaultObfKey;
  SecurityState security;
  SocStraps straps;                    // 2.x subsystem straps (passive mode: defaults)
  bool itrng = false;                  // CPTRA_HW_CONFIG.iTRNG_en
  bool auto_trng = true;               // answer external TRNG requests from the seeded generator
  uint64_t seed = 0;
  std::function<void(const std::string& text)> console;  // firmware output (CPTRA_GENERIC_OUTPUT_WIRES[0])
};

// Why Machine::run returned.
enum class RunStop : uint8_t { Budget, Condition, Exit, Fatal, Idle, Held };

struct MemoryMap {
  uint32_t rom_size, iccm_base, iccm_size, dccm_base, dccm_size, mbox_sram_base, mbox_sram_size;
  static MemoryMap for_gen(HwGen g);
};

class Machine {
 public:
  explicit Machine(const MachineConfig& cfg);  // throws std::invalid_argument for a bad ROM
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // SoC-side (APB/AXI) accesses at Caliptra addresses (e.g. 0x3003_00B0). The arbiter
  // refuses unknown addresses, mailbox accesses from invalid users and fuse accesses
  // from a non-fuse user with BusError.
  bus::BusResult soc_read(uint32_t addr, uint32_t& value, uint32_t axi_user);
  bus::BusResult soc_write(uint32_t addr, uint32_t value, uint32_t axi_user);

  // Runs up to `cycles` core cycles, or until `until` returns true. `until` is evaluated
  // whenever an observable event happened (boot/flow status, output, error, mailbox).
  RunStop run(uint64_t cycles, const std::function<bool()>& until = nullptr);

  void cold_reset();
  void warm_reset();

  bus::Timeline& timeline() { return timeline_; }
  rv::Hart& hart() { return *hart_; }
  SocIfc& soc_ifc() { return *soc_ifc_; }
  Mailbox& mailbox() { return *mbox_; }
  Sha512Acc& sha512_acc() { return *sha_acc_; }
  bus::AddressSpace& cpu_bus() { return cpu_bus_; }
  // 2.x: the AXI fabric behind the DMA's manager port. Empty (every beat DECERR) until the
  // integrator or the subsystem maps its subordinates; 1.x has no DMA and ignores it.
  bus::AxiSpace& axi() { return axi_; }
  const MemoryMap& map() const { return map_; }
  const MachineConfig& config() const { return cfg_; }
  uint64_t cycles() const { return timeline_.now(); }

  // Firmware output and exit requests (0xFF success / 0x01 failure on the output wire).
  const std::string& output() const { return output_; }
  bool exit_requested() const { return exit_requested_; }
  // Cycle of the firmware's last visible action (output, boot/flow status, error write): a
  // ROM waiting for the mailbox does none of these.
  uint64_t last_activity() const { return last_activity_; }
  bool exit_success() const { return exit_success_; }
  bool core_running() const { return core_running_; }
  // The core has fetched from the ICCM since the last reset (the ROM handed off).
  bool entered_fmc() const { return entered_fmc_; }
  bool soc_mbox_data_avail() const { return mbox_data_avail_; }
  // The hart stopped for good (double fault); the message says why.
  const std::string& fatal_message() const { return fatal_; }

  // Register names/bases for `calemu regmap` and traces.
  struct BlockInfo { std::string name; uint32_t base; bus::RegBlock* block; };
  const std::vector<BlockInfo>& blocks() const { return block_infos_; }
  void set_mmio_trace(bus::RegTrace trace);

  // Observers for boot progress (called as firmware writes the registers).
  std::function<void(uint32_t)> on_boot_status;
  std::function<void(uint32_t)> on_flow_status;
  std::function<void(uint32_t code, bool fatal)> on_fw_error;

 private:
  void build();
  void map_block(const std::string& name, uint32_t base, bus::RegBlock& block);
  bus::RegBlock* soc_visible_dma() const;
  void release_core();
  void latch_security_state();
  void fw_update_reset();
  void output_byte(uint32_t word);
  void trng_request(bool req);
  void notice() { noticed_ = true; hart_->request_stop(); }

  MachineConfig cfg_;
  MemoryMap map_;
  bus::Timeline timeline_;
  bus::AddressSpace cpu_bus_;
  bus::AxiSpace axi_;
  std::unique_ptr<bus::Memory> rom_, iccm_, dccm_, mbox_sram_;
  std::unique_ptr<rv::Hart> hart_;
  BlockContext ctx_;
  std::unique_ptr<SocIfc> soc_ifc_;
  std::unique_ptr<Mailbox> mbox_;
  std::unique_ptr<MailboxSramPort> mbox_port_;
  std::unique_ptr<Sha512Acc> sha_acc_;
  std::vector<std::unique_ptr<bus::RegBlock>> engines_;  // crypto blocks (src/caliptra/*.cpp)
  std::vector<BlockInfo> block_infos_;
  bus::Event trng_event_;
  uint64_t pending_fw_update_release_ = 0;  // cycle at which the core leaves fw-update reset
  uint64_t trng_state_ = 0;

  bool core_running_ = false;
  bool fatal_pin_ = false;
  bool entered_fmc_ = false;
  uint64_t last_activity_ = 0;
  bool noticed_ = false;
  bool exit_requested_ = false, exit_success_ = false;
  bool mbox_data_avail_ = false;
  std::string output_;
  std::string line_;
  std::string fatal_;
};

}  // namespace calemu::caliptra
