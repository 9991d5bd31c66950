// calemu public C++ API: one emulated Caliptra core per object, no global state.
//
//   calemu::Caliptra c({.hw = calemu::Hw::V1, .rom = rom_bytes});
//   c.boot(firmware);                        // fuses, FUSE_WR_DONE, FIRMWARE_LOAD, runtime
//   uint32_t v; c.soc_read(0x30030038, v);   // CPTRA_BOOT_STATUS over the SoC bus
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace calemu {

enum class Hw { V1, V2_0, V2_1 };
enum class Lifecycle { Unprovisioned, Manufacturing, Production };

struct CaliptraOptions {
  Hw hw = Hw::V1;
  std::vector<uint8_t> rom;
  Lifecycle lifecycle = Lifecycle::Unprovisioned;
  bool debug_locked = false;
  std::array<uint32_t, 8> obf_key = {0xa0a1a2a3, 0xb0b1b2b3, 0xc0c1c2c3, 0xd0d1d2d3,
                                     0xe0e1e2e3, 0xf0f1f2f3, 0xa4a5a6a7, 0xb4b5b6b7};
  uint64_t seed = 0;          // deterministic TRNG
  bool itrng = false;         // CPTRA_HW_CONFIG.iTRNG_en
  uint32_t soc_user = 1;      // AXI user of this object's SoC accesses (locked as a valid user by boot())
  std::function<void(const std::string& line)> console;  // firmware output lines
};

// 0 on success; these otherwise (also used by the C ABI, negated).
enum class Status : int { Ok = 0, BusError = 3, BadRom = 4, BootFailed = 5, Timeout = 6, FatalError = 7 };

class Caliptra {
 public:
  explicit Caliptra(const CaliptraOptions& options);  // throws std::invalid_argument (bad ROM)
  ~Caliptra();
  Caliptra(Caliptra&&) noexcept;
  Caliptra& operator=(Caliptra&&) noexcept;

  // SoC bus (APB/AXI) at Caliptra addresses; BusError when the access is refused.
  Status soc_read(uint32_t addr, uint32_t& value, uint32_t axi_user);
  Status soc_write(uint32_t addr, uint32_t value, uint32_t axi_user);
  Status soc_read(uint32_t addr, uint32_t& value) { return soc_read(addr, value, user()); }
  Status soc_write(uint32_t addr, uint32_t value) { return soc_write(addr, value, user()); }
  uint32_t user() const;
  void set_user(uint32_t axi_user);

  // Runs up to `cycles` core cycles (stops early when firmware asks to exit).
  void run(uint64_t cycles);
  uint64_t cycles() const;

  // The whole SoC-side boot with default fuses: firmware may be empty (stop at
  // READY_FOR_FW). Stops when CPTRA_BOOT_STATUS == boot_status (0: READY_FOR_RUNTIME).
  Status boot(std::span<const uint8_t> firmware, uint32_t boot_status = 0, uint64_t max_cycles = 400'000'000);
  const std::string& last_error() const;

  bool ready_for_fuses() const;
  bool ready_for_fw() const;
  bool ready_for_runtime() const;
  uint32_t boot_status() const;
  bool exit_requested() const;
  const std::string& output() const;  // everything firmware printed

  // Mailbox command from the SoC side; returns the response bytes (empty for CMD_COMPLETE).
  Status mailbox(uint32_t cmd, std::span<const uint8_t> request, std::vector<uint8_t>& response,
                 uint64_t max_cycles = 400'000'000);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace calemu
