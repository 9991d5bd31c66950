// Shared pieces of the socket-server tests: a server on its own thread, raw socket helpers,
// and stand-ins for the two QEMU clients that send exactly the frames QEMU sends.
#pragma once
#include <gtest/gtest.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/elf.h"
#include "server/client.h"
#include "server/frame.h"
#include "server/messages.h"
#include "server/server.h"
#include "soc/fuses.h"

namespace calemu::server::test {

// ---- official ROMs and our bundles (CALEMU_ROM_DIR; the tests skip without it) -------------
// The first CALEMU_ROM_DIR/<prefix>*.bin, or "" when there is none.
inline std::string find_rom(const std::string& prefix) {
  const char* dir = std::getenv("CALEMU_ROM_DIR");
  if (!dir || !std::filesystem::is_directory(dir)) return {};
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n.rfind(prefix, 0) == 0 && n.size() > 4 && n.substr(n.size() - 4) == ".bin") return e.path().string();
  }
  return {};
}
inline std::string key_dir() { return std::string(CALEMU_SHARED_DIR) + "/keys/caliptra-fake"; }
inline std::string bundle_path(const std::string& name) {
  return std::string(CALEMU_BINARY_DIR) + "/firmware/bundles/" + name + ".bin";
}

// Runs `calemu ARGS` (stderr with stdout): {exit status, output}.
inline std::pair<int, std::string> calemu_cli(const std::string& args) {
  FILE* p = popen((std::string(CALEMU_BIN) + " " + args + " 2>&1").c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

// The fuses of a production part for the test keys, from `calemu image fuses` (the ROM checks
// them against the bundle): `format` is "1.x", or "2.x --pqc lms|mldsa".
inline soc::Fuses production_fuses(const std::string& format) {
  FILE* p = popen((std::string(CALEMU_BIN) + " image fuses --format " + format + " --fuse-file --key-dir " + key_dir() +
                   " 2>/dev/null").c_str(), "r");
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << text;
  const size_t start = text.find("# Caliptra");
  return soc::parse_fuse_file(start == std::string::npos ? text : text.substr(start), soc::Fuses::defaults());
}

inline std::string echo_rom_path() { return std::string(CALEMU_BINARY_DIR) + "/firmware/caliptra/mbox_echo_rom.bin"; }

// Short socket paths (sun_path holds 107 bytes): a fresh directory under /tmp per test.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/calemu-srv-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Log lines of the server, for assertions and for failure messages.
class LogSink {
 public:
  void add(const std::string& s) {
    std::lock_guard<std::mutex> l(m_);
    lines_.push_back(s);
  }
  bool contains(const std::string& s) const {
    std::lock_guard<std::mutex> l(m_);
    for (const auto& x : lines_)
      if (x.find(s) != std::string::npos) return true;
    return false;
  }
  size_t count(const std::string& s) const {
    std::lock_guard<std::mutex> l(m_);
    size_t n = 0;
    for (const auto& x : lines_) n += x.find(s) != std::string::npos;
    return n;
  }
  std::string all() const {
    std::lock_guard<std::mutex> l(m_);
    std::string s;
    for (const auto& x : lines_) s += x + "\n";
    return s;
  }

 private:
  mutable std::mutex m_;
  std::vector<std::string> lines_;
};

// The echo test ROM (firmware/caliptra/mbox_echo_rom.c); with `firmware`, the built-in boot
// loads it (the ROM sums it and completes) before legacy clients are served.
// The ROM runs on every generation: it only uses registers at the same offsets in 1.x and 2.x
// (soc_ifc boot/flow status and output wires, the mailbox CSRs).
inline ServerConfig echo_config(const TempDir& dir, bool builtin_boot, LogSink* log = nullptr,
                                caliptra::HwGen hw = caliptra::HwGen::V1) {
  ServerConfig cfg;
  cfg.host.machine.hw = hw;
  cfg.host.machine.rom = read_file(echo_rom_path());
  cfg.cptr.push_back(parse_endpoint("unix:" + dir.file("cptr.sock")));
  cfg.mbox.push_back(parse_endpoint("unix:" + dir.file("mbox.sock")));
  if (builtin_boot) {
    cfg.firmware = std::vector<uint8_t>(256, 0x5A);
    cfg.boot_target = BootTarget::FirmwareLoaded;
  }
  if (log) {
    cfg.log = [log](const std::string& s) { log->add(s); };
    cfg.host.machine.console = [log](const std::string& s) { log->add("[caliptra] " + s); };
  }
  return cfg;
}

class ServerThread {
 public:
  explicit ServerThread(ServerConfig cfg) : server_(std::move(cfg)) {
    thread_ = std::thread([this] { server_.run(); });
  }
  ~ServerThread() {
    server_.stop();
    thread_.join();
  }
  Server& server() { return server_; }
  std::string cptr() const { return server_.cptr_endpoints().at(0).to_string(); }
  std::string mbox() const { return server_.mbox_endpoints().at(0).to_string(); }
  std::string cptr_path() const { return server_.cptr_endpoints().at(0).path; }
  std::string mbox_path() const { return server_.mbox_endpoints().at(0).path; }
  std::thread::native_handle_type native() { return thread_.native_handle(); }

 private:
  Server server_;
  std::thread thread_;
};

inline double thread_cpu_seconds(pthread_t t) {
  clockid_t id;
  pthread_getcpuclockid(t, &id);
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// CPU time the server's thread uses while the test sleeps for `wall`.
inline double server_cpu_seconds_over(ServerThread& s, std::chrono::milliseconds wall) {
  const double before = thread_cpu_seconds(s.native());
  std::this_thread::sleep_for(wall);
  return thread_cpu_seconds(s.native()) - before;
}

// ---- raw sockets ----------------------------------------------------------------------

inline int connect_unix(const std::string& path) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

inline bool write_all(int fd, const void* p, size_t n) {
  const auto* b = static_cast<const uint8_t*>(p);
  while (n) {
    const ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    b += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Reads exactly n bytes within the timeout; false on timeout, error or EOF.
inline bool read_all(int fd, void* p, size_t n, int timeout_ms = 10'000) {
  auto* b = static_cast<uint8_t*>(p);
  while (n) {
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, timeout_ms) <= 0) return false;
    const ssize_t r = recv(fd, b, n, 0);
    if (r <= 0) return false;
    b += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

// True when the server closed the connection (EOF) within the timeout.
inline bool closed_by_peer(int fd, int timeout_ms = 5'000) {
  uint8_t b[256];
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < end) {
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 100) <= 0) continue;
    const ssize_t r = recv(fd, b, sizeof b, 0);
    if (r == 0) return true;
    if (r < 0) return true;
  }
  return false;
}

struct RawFrame {
  Header header;
  std::vector<uint8_t> payload;
};

inline std::optional<RawFrame> read_frame(int fd, int timeout_ms = 10'000) {
  uint8_t h[kHeaderSize];
  if (!read_all(fd, h, sizeof h, timeout_ms)) return std::nullopt;
  RawFrame f;
  f.header = decode_header(std::span<const uint8_t, kHeaderSize>(h, kHeaderSize));
  if (f.header.payload_len > 16u << 20) return std::nullopt;
  f.payload.resize(f.header.payload_len);
  if (!read_all(fd, f.payload.data(), f.payload.size(), timeout_ms)) return std::nullopt;
  return f;
}

inline std::vector<uint8_t> le_header(uint32_t magic, uint16_t version, uint16_t command, uint32_t len) {
  std::vector<uint8_t> v;
  append_header(v, Header{magic, version, command, len});
  return v;
}

// ---- QEMU RFC v2 aspeed-caliptra-emu (hw/arm/aspeed_caliptra_emu.c) ----------------------
// Its MMIO window maps offset o to APB 0x3002_0000 + o (128 KiB). Each access writes the
// 12-byte header and the payload in two writes, then reads a 12-byte header that must carry
// magic "CPTR", version 1 and the expected reply command with payload_len <= 4 MiB, reads
// the 4 data bytes of APB_RDATA and discards any further payload. Where QEMU reports an
// error (and the guest reads 0xdeadbeef) these return nullopt / false.
inline constexpr uint32_t kQemuApbBase = 0x3002'0000;

inline bool qemu_rfc_v2_round_trip(int fd, uint16_t cmd, const std::vector<uint8_t>& payload, uint16_t reply,
                                   size_t want, std::vector<uint8_t>& out) {
  const auto hdr = le_header(kCptrMagic, 1, cmd, static_cast<uint32_t>(payload.size()));
  if (!write_all(fd, hdr.data(), hdr.size()) || !write_all(fd, payload.data(), payload.size())) return false;
  uint8_t h[12];
  if (!read_all(fd, h, sizeof h)) return false;
  const Header rh = decode_header(std::span<const uint8_t, 12>(h, 12));
  if (rh.magic != kCptrMagic || rh.version != 1 || rh.command != reply || rh.payload_len > (4u << 20)) return false;
  if (rh.payload_len < want) return false;
  out.resize(rh.payload_len);
  return read_all(fd, out.data(), out.size());
}

inline std::optional<uint32_t> qemu_rfc_v2_read(int fd, uint32_t apb_addr) {
  std::vector<uint8_t> req, rsp;
  append_le32(req, apb_addr);
  if (!qemu_rfc_v2_round_trip(fd, cmd::kApbRead, req, cmd::kApbRdata, 4, rsp)) return std::nullopt;
  return load_le32(rsp.data());
}

inline bool qemu_rfc_v2_write(int fd, uint32_t apb_addr, uint32_t value) {
  std::vector<uint8_t> req, rsp;
  append_le32(req, apb_addr);
  append_le32(req, value);
  return qemu_rfc_v2_round_trip(fd, cmd::kApbWrite, req, cmd::kApbWack, 0, rsp);
}

// ---- QEMU AST1040 cptra-mbox-peer-extern (hw/misc/aspeed_cptra_mbox_extern.c) ------------
// The frontend copies ROUND_UP(dlen, 4) bytes of its SRAM; the peer sends the header, then
// {cmd, dlen, sram}; it accepts a reply with magic "MBOX", version 1, command 2,
// 8 <= payload_len <= 8 + 2 MiB, dlen <= 2 MiB and 8 + ROUND_UP(dlen, 4) <= payload_len,
// and hands ROUND_UP(dlen, 4) bytes to the frontend. Anything else becomes CMD_FAILURE.
struct QemuMboxReply {
  bool ok = false;
  uint32_t status = 3;
  uint32_t dlen = 0;
  std::vector<uint8_t> data;  // ROUND_UP(dlen, 4) bytes, as QEMU writes them into its SRAM
};

inline QemuMboxReply qemu_ast1040_execute(int fd, uint32_t cmd_id, std::vector<uint8_t> request) {
  const uint32_t dlen = static_cast<uint32_t>(request.size());
  request.resize(padded_len(dlen), 0);
  std::vector<uint8_t> payload;
  append_le32(payload, cmd_id);
  append_le32(payload, dlen);
  payload.insert(payload.end(), request.begin(), request.end());
  QemuMboxReply r;
  const auto hdr = le_header(kMboxMagic, 1, cmd::kMboxExecute, static_cast<uint32_t>(payload.size()));
  if (!write_all(fd, hdr.data(), hdr.size()) || !write_all(fd, payload.data(), payload.size())) return r;
  uint8_t h[12];
  if (!read_all(fd, h, sizeof h, 30'000)) return r;
  const Header rh = decode_header(std::span<const uint8_t, 12>(h, 12));
  if (rh.magic != kMboxMagic || rh.version != 1 || rh.command != cmd::kMboxResponse) return r;
  if (rh.payload_len < 8 || rh.payload_len > 8 + kMboxSramMax) return r;
  std::vector<uint8_t> p(rh.payload_len);
  if (!read_all(fd, p.data(), p.size())) return r;
  r.status = load_le32(p.data());
  r.dlen = load_le32(p.data() + 4);
  if (r.dlen > kMboxSramMax || 8 + padded_len(r.dlen) > rh.payload_len) return QemuMboxReply{};
  r.data.assign(p.begin() + 8, p.begin() + 8 + padded_len(r.dlen));
  r.ok = true;
  return r;
}

// ---- the SoC side of a 1.x boot over APB (caliptra-hw-registers.md §3.4.1, line "1.x fuses") --
inline constexpr uint32_t kSocIfc = 0x3003'0000;
inline constexpr uint32_t kFlowStatus = kSocIfc + 0x3C, kBootStatus = kSocIfc + 0x38, kFwErrorFatal = kSocIfc + 0x08,
                          kFwErrorNonFatal = kSocIfc + 0x0C, kValidUser0 = kSocIfc + 0x48, kUserLock0 = kSocIfc + 0x5C,
                          kFuseWrDone = kSocIfc + 0xB0, kBootFsmGo = kSocIfc + 0xB8, kHwRevId = kSocIfc + 0xD4;
inline constexpr uint32_t kMboxLock = 0x3002'0000, kMboxCmd = 0x3002'0008, kMboxDlen = 0x3002'000C,
                          kMboxDatain = 0x3002'0010, kMboxDataout = 0x3002'0014, kMboxExecute = 0x3002'0018,
                          kMboxStatus = 0x3002'001C;
inline constexpr uint32_t kFlowReadyForFw = 1u << 28, kFlowReadyForRuntime = 1u << 29, kFlowReadyForFuses = 1u << 30;
inline constexpr uint32_t kEcho = 0x4F48'4345, kFirmwareLoad = 0x4657'4C44;

template <typename Write>
bool write_fuses_1x(Write&& w, const soc::Fuses& f) {
  auto arr = [&](uint32_t off, const uint32_t* words, size_t n) {
    for (size_t i = 0; i < n; ++i)
      if (!w(kSocIfc + off + 4 * static_cast<uint32_t>(i), words[i])) return false;
    return true;
  };
  return arr(0x200, f.uds_seed.data(), 12) && arr(0x230, f.field_entropy.data(), 8) &&
         arr(0x250, f.vendor_pk_hash.data(), 12) && w(kSocIfc + 0x280, f.vendor_pk_hash_mask) &&
         arr(0x284, f.owner_pk_hash.data(), 12) && w(kSocIfc + 0x2B4, f.fmc_key_manifest_svn) &&
         arr(0x2B8, f.runtime_svn.data(), 4) && w(kSocIfc + 0x2C8, f.anti_rollback_disable) &&
         arr(0x2CC, f.idevid_cert_attr.data(), 24) && arr(0x32C, f.idevid_manuf_hsm_id.data(), 4) &&
         w(kSocIfc + 0x33C, f.life_cycle) && w(kSocIfc + 0x340, f.lms_verify) && w(kSocIfc + 0x344, f.lms_revocation) &&
         w(kSocIfc + 0x348, f.soc_stepping_id);
}

// One mailbox command through the registers (caliptra-fw-protocol.md §3.2).
inline uint32_t qemu_rfc_v2_mailbox(int fd, uint32_t cmd_id, const std::vector<uint8_t>& data, std::vector<uint8_t>& out) {
  auto r = [&](uint32_t a) { return qemu_rfc_v2_read(fd, a).value_or(0xDEAD'BEEF); };
  auto w = [&](uint32_t a, uint32_t v) { EXPECT_TRUE(qemu_rfc_v2_write(fd, a, v)); };
  EXPECT_EQ(r(kMboxLock) & 1, 0u) << "mailbox lock not granted";
  w(kMboxCmd, cmd_id);
  w(kMboxDlen, static_cast<uint32_t>(data.size()));
  for (size_t i = 0; i < data.size(); i += 4) {
    uint32_t word = 0;
    for (size_t k = 0; k < 4 && i + k < data.size(); ++k) word |= uint32_t{data[i + k]} << (8 * k);
    w(kMboxDatain, word);
  }
  w(kMboxExecute, 1);
  uint32_t status = 0;
  for (int i = 0; i < 100'000 && (status & 0xF) == 0; ++i) status = r(kMboxStatus);
  if ((status & 0xF) == 1) {
    const uint32_t dlen = r(kMboxDlen);
    for (uint32_t i = 0; i < dlen; i += 4) {
      const uint32_t word = r(kMboxDataout);
      for (uint32_t k = 0; k < 4 && i + k < dlen; ++k) out.push_back(static_cast<uint8_t>(word >> (8 * k)));
    }
  }
  w(kMboxExecute, 0);
  return status & 0xF;
}

// Reads `addr` until (value & mask) == want; false when a read fails or after `tries` reads.
template <typename Read>
bool poll_until(Read&& read, uint32_t addr, uint32_t mask, uint32_t want, int tries = 2'000'000) {
  for (int i = 0; i < tries; ++i) {
    const auto v = read(addr);
    if (!v) return false;
    if ((*v & mask) == want) return true;
  }
  return false;
}

// RESET, then its EVENT RESET (older events before it are dropped), then `target` again.
// The client must have the EVENTS feature.
inline bool reset_and_wait(Client& c, ResetKind kind, BootState target, std::chrono::milliseconds timeout) {
  c.reset(kind);
  for (;;) {
    const std::optional<Event> e = c.next_event(timeout);
    if (!e) return false;
    if (e->event == kEventReset) break;
  }
  return c.wait_for_state(target, timeout);
}

// ---- the 2.x fuse layout (caliptra-rtl 2.x soc_ifc_reg_uvm.sv; hek_seed only on 2.1) -------
// The owner key hash is no fuse on 2.x: CPTRA_OWNER_PK_HASH at 0x140 (locked by 0x170).
template <typename Write>
bool write_fuses_2x(Write&& w, const soc::Fuses& f, bool v2_1) {
  auto arr = [&](uint32_t off, const uint32_t* words, size_t n) {
    for (size_t i = 0; i < n; ++i)
      if (!w(kSocIfc + off + 4 * static_cast<uint32_t>(i), words[i])) return false;
    return true;
  };
  return arr(0x200, f.uds_seed.data(), 16) && arr(0x240, f.field_entropy.data(), 8) &&
         arr(0x260, f.vendor_pk_hash.data(), 12) && w(kSocIfc + 0x290, f.ecc_revocation) &&
         arr(0x2B8, f.runtime_svn.data(), 4) && w(kSocIfc + 0x2C8, f.anti_rollback_disable) &&
         arr(0x2CC, f.idevid_cert_attr.data(), 24) && arr(0x32C, f.idevid_manuf_hsm_id.data(), 4) &&
         w(kSocIfc + 0x340, f.lms_revocation) && w(kSocIfc + 0x344, f.mldsa_revocation) &&
         w(kSocIfc + 0x348, f.soc_stepping_id) && arr(0x34C, f.manuf_dbg_unlock_token.data(), 16) &&
         w(kSocIfc + 0x38C, f.pqc_key_type) && arr(0x390, f.soc_manifest_svn.data(), 4) &&
         w(kSocIfc + 0x3A0, f.soc_manifest_max_svn) && (!v2_1 || arr(0x3C0, f.hek_seed.data(), 8)) &&
         arr(0x140, f.owner_pk_hash.data(), 12);
}

}  // namespace calemu::server::test
