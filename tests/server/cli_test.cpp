// `calemu serve` and `calemu mbox` as a user runs them, and the C client API.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "server/client.h"
#include "server_test_util.h"

extern "C" int calemu_c_client_mbox(const char* endpoint);
extern "C" int calemu_c_client_cptr(const char* endpoint);
extern char** environ;

using namespace calemu;
using namespace calemu::server;
using namespace calemu::server::test;

namespace {

bool wait_for_file(const std::string& path) {
  for (int i = 0; i < 500; ++i) {
    if (std::filesystem::exists(path)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST(Cli, MboxListsCommandsOfBothGenerations) {
  auto [rc, out] = calemu_cli("mbox --list");
  EXPECT_EQ(rc, 0) << out;
  for (const char* s : {"FW_INFO", "GET_IDEV_CERT", "STASH_MEASUREMENT", "ECDSA384_VERIFY", "0x53494756", "CAPABILITIES"})
    EXPECT_NE(out.find(s), std::string::npos) << s;
  std::tie(rc, out) = calemu_cli("mbox --list --hw 2.x");
  EXPECT_EQ(rc, 0);
  EXPECT_NE(out.find("ECDSA384_SIGNATURE_VERIFY"), std::string::npos);
  EXPECT_NE(out.find("0x45435632"), std::string::npos);
}

TEST(Cli, MboxTalksToAServer) {
  TempDir dir;
  ServerThread s(echo_config(dir, true));
  const std::string ep = " --connect " + s.mbox();
  // Raw ECHO without a checksum comes back as sent.
  auto [rc, out] = calemu_cli("mbox" + ep + " --json raw 0x4F484345 0a0b0c0d0e --no-checksum");
  ASSERT_EQ(rc, 0) << out;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["status"], "DATA_READY");
  EXPECT_EQ(j["dlen"], 5);
  EXPECT_EQ(j["fields"]["data"], "0a0b0c0d0e");
  // The extension helpers.
  std::tie(rc, out) = calemu_cli("mbox" + ep + " state --json");
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(nlohmann::json::parse(out)["boot_state"], "READY_FOR_FW");
  std::tie(rc, out) = calemu_cli("mbox" + ep + " wait fw --timeout 10");
  EXPECT_EQ(rc, 0) << out;
  // The echo ROM refuses FW_INFO: CMD_FAILURE, exit status 1.
  std::tie(rc, out) = calemu_cli("mbox" + ep + " FW_INFO");
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("CMD_FAILURE"), std::string::npos) << out;
  // Usage errors: exit status 2 with the reason.
  std::tie(rc, out) = calemu_cli("mbox" + ep + " NO_SUCH_COMMAND");
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("no command 'NO_SUCH_COMMAND'"), std::string::npos) << out;
  std::tie(rc, out) = calemu_cli("mbox" + ep + " STASH_MEASUREMENT measurement=00");
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("measurement takes 48 bytes"), std::string::npos) << out;
  std::tie(rc, out) = calemu_cli("mbox --connect unix:" + dir.file("nobody.sock") + " FW_INFO");
  EXPECT_EQ(rc, 5) << out;
}

TEST(Cli, ServeRunsUntilSigterm) {
  TempDir dir;
  const std::string fw = dir.file("fw.bin");
  std::ofstream(fw, std::ios::binary) << std::string(100, 'x');
  const std::string log = dir.file("serve.log");
  const std::string rom = echo_rom_path(), cptr = "unix:" + dir.file("c.sock"), mbox = "unix:" + dir.file("m.sock");
  const char* argv[] = {CALEMU_BIN, "serve", "--hw", "1.x", "--rom", rom.c_str(), "--fw", fw.c_str(),
                        "--boot-until", "loaded", "--cptr", cptr.c_str(), "--mbox", mbox.c_str(), nullptr};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, CALEMU_BIN, &fa, nullptr, const_cast<char**>(argv), environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  ASSERT_TRUE(wait_for_file(dir.file("m.sock")));
  {
    Client m("unix:" + dir.file("m.sock"), Protocol::Mbox);
    m.set_timeout(std::chrono::milliseconds(20'000));
    const MboxResponse r = m.mbox_execute(kEcho, std::vector<uint8_t>{7, 7, 7});
    EXPECT_EQ(r.status, 1u);
    Client c("unix:" + dir.file("c.sock"), Protocol::Cptr);
    c.set_timeout(std::chrono::milliseconds(20'000));
    EXPECT_EQ(c.apb_read(kBootStatus), 2u);
  }
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("[caliptra] mbox-echo test ROM"), std::string::npos) << text;
  EXPECT_NE(text.find("boot done"), std::string::npos) << text;
  EXPECT_NE(text.find("stopped after"), std::string::npos) << text;
  EXPECT_FALSE(std::filesystem::exists(dir.file("m.sock")));
}

TEST(Cli, ServeRejectsBadArguments) {
  auto [rc, out] = calemu_cli("serve --rom " + echo_rom_path());
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("nothing to serve"), std::string::npos) << out;
  std::tie(rc, out) = calemu_cli("serve --rom " + echo_rom_path() + " --cptr tcp:10.0.0.1:5000");
  EXPECT_EQ(rc, 2);
  EXPECT_NE(out.find("loopback"), std::string::npos) << out;
  std::tie(rc, out) = calemu_cli("serve --rom " + echo_rom_path() + " --cptr bogus");
  EXPECT_EQ(rc, 2);
}

TEST(Cli, TcpEndpointsWork) {
  TempDir dir;
  ServerConfig cfg = echo_config(dir, false);
  cfg.cptr = {parse_endpoint("tcp:127.0.0.1:0")};
  ServerThread s(std::move(cfg));
  const Endpoint e = s.server().cptr_endpoints().at(0);
  ASSERT_NE(e.port, 0);
  Client c(e.to_string(), Protocol::Cptr);
  c.set_timeout(std::chrono::milliseconds(10'000));
  EXPECT_EQ(c.apb_read(kHwRevId) & 0xFFFF, 0x11u);
}

TEST(CApi, ClientFromC) {
  TempDir dir;
  ServerThread s(echo_config(dir, true));
  EXPECT_EQ(calemu_c_client_mbox(s.mbox().c_str()), 0);
  EXPECT_EQ(calemu_c_client_cptr(s.cptr().c_str()), 0);
}
