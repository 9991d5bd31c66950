// Garbage on the sockets never stops the server: malformed frames get an ERROR reply (and a
// close when the framing is lost), disconnects in the middle of a frame or of a command are
// cleaned up, several clients and slow readers are served, and the model keeps its state.
#include <gtest/gtest.h>

#include <atomic>
#include <random>

#include "server/client.h"
#include "server_test_util.h"

using namespace calemu;
using namespace calemu::server;
using namespace calemu::server::test;

namespace {

ErrorReply expect_error_frame(int fd, ErrorCode code) {
  ErrorReply e;
  const auto f = read_frame(fd);
  EXPECT_TRUE(f.has_value());
  if (!f) return e;
  EXPECT_EQ(f->header.command, cmd::kError);
  std::string why;
  EXPECT_TRUE(decode_error(f->payload, e, why)) << why;
  EXPECT_EQ(e.code, code) << e.message;
  return e;
}

// The server still answers a well-formed request on a fresh connection.
void expect_alive(ServerThread& s) {
  Client c(s.cptr(), Protocol::Cptr);
  c.set_timeout(std::chrono::milliseconds(10'000));
  EXPECT_EQ(c.apb_read(kHwRevId) & 0xFFFF, 0x11u);
}

}  // namespace

TEST(Robustness, BadMagicVersionOrSizeGetAnErrorThenAClose) {
  TempDir dir;
  ServerThread s(echo_config(dir, false));
  struct Case {
    std::vector<uint8_t> bytes;
    ErrorCode code;
  };
  for (const Case& c : {Case{le_header(0x1122'3344, 1, cmd::kApbRead, 4), ErrorCode::BadMagic},
                        Case{le_header(kMboxMagic, 1, cmd::kApbRead, 4), ErrorCode::BadMagic},
                        Case{le_header(kCptrMagic, 0, cmd::kApbRead, 4), ErrorCode::BadVersion},
                        Case{le_header(kCptrMagic, 2, cmd::kApbRead, 4), ErrorCode::BadVersion},
                        Case{le_header(kCptrMagic, 1, cmd::kApbRead, 0xFFFF'FFF0), ErrorCode::Oversize}}) {
    const int fd = connect_unix(s.cptr_path());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(write_all(fd, c.bytes.data(), c.bytes.size()));
    const ErrorReply e = expect_error_frame(fd, c.code);
    EXPECT_EQ(e.command, 0);
    EXPECT_FALSE(e.message.empty());
    EXPECT_TRUE(closed_by_peer(fd));
    close(fd);
  }
  // The MBOX endpoint: an oversize claim is refused before the payload arrives.
  const int fd = connect_unix(s.mbox_path());
  const auto h = le_header(kMboxMagic, 1, cmd::kMboxExecute, 64u << 20);
  ASSERT_TRUE(write_all(fd, h.data(), h.size()));
  expect_error_frame(fd, ErrorCode::Oversize);
  EXPECT_TRUE(closed_by_peer(fd));
  close(fd);
  expect_alive(s);
}

TEST(Robustness, WellFramedNonsenseGetsAnErrorAndTheConnectionStays) {
  TempDir dir;
  ServerThread s(echo_config(dir, false));
  const int fd = connect_unix(s.cptr_path());
  ASSERT_GE(fd, 0);
  auto send = [&](uint16_t command, std::vector<uint8_t> payload) {
    const auto f = encode_frame(Protocol::Cptr, command, payload);
    ASSERT_TRUE(write_all(fd, f.data(), f.size()));
  };
  send(cmd::kApbRead, {1, 2, 3});  // short
  EXPECT_EQ(expect_error_frame(fd, ErrorCode::BadLength).command, cmd::kApbRead);
  send(cmd::kApbWrite, {1, 2, 3, 4});
  expect_error_frame(fd, ErrorCode::BadLength);
  send(cmd::kMboxExecute, {0, 0, 0, 0, 0, 0, 0, 0});  // an MBOX command on the CPTR endpoint
  expect_error_frame(fd, ErrorCode::UnknownCommand);
  send(0x7777, {});
  expect_error_frame(fd, ErrorCode::UnknownCommand);
  send(cmd::kReset, encode_u32(1));  // an extension before HELLO
  expect_error_frame(fd, ErrorCode::NotNegotiated);
  send(cmd::kApbRdata, {0, 0, 0, 0});  // a reply sent as a request
  expect_error_frame(fd, ErrorCode::UnknownCommand);
  // Still the same connection: a good read works.
  EXPECT_EQ(qemu_rfc_v2_read(fd, kHwRevId).value_or(0) & 0xFFFF, 0x11u);
  close(fd);

  const int m = connect_unix(s.mbox_path());
  const auto bad = encode_frame(Protocol::Mbox, cmd::kMboxExecute, std::vector<uint8_t>{1, 0, 0, 0, 9, 0, 0, 0, 1});
  ASSERT_TRUE(write_all(m, bad.data(), bad.size()));
  expect_error_frame(m, ErrorCode::BadLength);
  close(m);
}

TEST(Robustness, ExplicitErrorsNameUnalignedUnmappedAndRefusedAccesses) {
  TempDir dir;
  ServerThread s(echo_config(dir, false));
  Client c(s.cptr(), Protocol::Cptr);
  c.set_timeout(std::chrono::milliseconds(10'000));
  c.hello(kFeatureErrors);
  auto code_of = [&](auto&& f) {
    try {
      f();
    } catch (const ServerError& e) {
      return e.code();
    }
    return ErrorCode::Internal;
  };
  EXPECT_EQ(code_of([&] { c.apb_read(0x3003'0001); }), ErrorCode::Unaligned);
  EXPECT_EQ(code_of([&] { c.apb_write(0x3003'0002, 0); }), ErrorCode::Unaligned);
  EXPECT_EQ(code_of([&] { c.apb_read(0x5000'0000); }), ErrorCode::Unmapped);  // DCCM: core-only
  EXPECT_EQ(code_of([&] { c.apb_read(kMboxLock); }), ErrorCode::BusError);   // user 1 not valid yet
  EXPECT_EQ(code_of([&] { c.reset(static_cast<ResetKind>(9)); }), ErrorCode::BadArgument);
  EXPECT_EQ(c.apb_read(kHwRevId) & 0xFFFF, 0x11u);
}

TEST(Robustness, DisconnectsInTheMiddleOfAFrameOrACommand) {
  TempDir dir;
  LogSink log;
  ServerThread s(echo_config(dir, true, &log));
  {
    // Half a header, then gone.
    const int fd = connect_unix(s.cptr_path());
    const auto h = le_header(kCptrMagic, 1, cmd::kApbRead, 4);
    ASSERT_TRUE(write_all(fd, h.data(), 7));
    close(fd);
  }
  {
    // A header that promises a payload that never comes.
    const int fd = connect_unix(s.mbox_path());
    const auto h = le_header(kMboxMagic, 1, cmd::kMboxExecute, 1000);
    ASSERT_TRUE(write_all(fd, h.data(), h.size()));
    close(fd);
  }
  for (int i = 0; i < 5; ++i) {
    // A whole mailbox command, and the client leaves before the answer.
    const int fd = connect_unix(s.mbox_path());
    const auto f = encode_frame(Protocol::Mbox, cmd::kMboxExecute, encode_mbox_execute(kEcho, std::vector<uint8_t>{1, 2, 3, 4}));
    ASSERT_TRUE(write_all(fd, f.data(), f.size()));
    close(fd);
  }
  // The mailbox is not left locked: the next client's command goes through.
  Client c(s.mbox(), Protocol::Mbox);
  c.set_timeout(std::chrono::milliseconds(20'000));
  const std::vector<uint8_t> msg = {4, 3, 2, 1};
  const MboxResponse r = c.mbox_execute(kEcho, msg);
  EXPECT_EQ(r.status, 1u);
  EXPECT_EQ(r.data, msg);
  expect_alive(s);
}

TEST(Robustness, SeveralClientsAtOnce) {
  TempDir dir;
  ServerThread s(echo_config(dir, true));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      try {
        Client c(s.cptr(), Protocol::Cptr);
        c.set_timeout(std::chrono::milliseconds(20'000));
        // Two writers on CPTRA_RSVD_REG[0..1] (plain storage), two readers.
        const uint32_t addr = kSocIfc + 0x120 + 4 * static_cast<uint32_t>(t % 2);
        for (uint32_t i = 0; i < 300; ++i) {
          if (t < 2) c.apb_write(addr, i);
          if ((c.apb_read(kHwRevId) & 0xFFFF) != 0x11) ++failures;
        }
      } catch (const std::exception&) {
        ++failures;
      }
    });
  }
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      try {
        Client c(s.mbox(), Protocol::Mbox);
        c.set_timeout(std::chrono::milliseconds(20'000));
        for (uint8_t i = 0; i < 20; ++i) {
          const std::vector<uint8_t> msg(static_cast<size_t>(i) + 1, static_cast<uint8_t>(t * 50 + i));
          const MboxResponse r = c.mbox_execute(kEcho, msg);
          if (r.status != 1 || r.data != msg) ++failures;
        }
      } catch (const std::exception&) {
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(Robustness, ASlowReaderIsThrottledNotFatal) {
  TempDir dir;
  ServerThread s(echo_config(dir, false));
  // 100000 reads (1.6 MB of requests) sent without reading a single reply: more than the
  // server buffers for a client, so it stops taking its requests until it reads.
  const int slow = connect_unix(s.cptr_path());
  ASSERT_GE(slow, 0);
  constexpr int kRequests = 100'000;
  std::vector<uint8_t> burst;
  for (int i = 0; i < kRequests; ++i) {
    const auto f = encode_frame(Protocol::Cptr, cmd::kApbRead, encode_apb_read({kHwRevId}));
    burst.insert(burst.end(), f.begin(), f.end());
  }
  std::thread writer([&] { write_all(slow, burst.data(), burst.size()); });
  // Meanwhile another client is served.
  expect_alive(s);
  // Now read everything: every reply is there, in order.
  int got = 0;
  while (got < kRequests) {
    const auto f = read_frame(slow);
    ASSERT_TRUE(f.has_value()) << "after " << got << " replies";
    ASSERT_EQ(f->header.command, cmd::kApbRdata);
    ASSERT_EQ(load_le32(f->payload.data()) & 0xFFFF, 0x11u);
    ++got;
  }
  writer.join();
  close(slow);
}

TEST(Robustness, RandomBytesNeverStopTheServerNorChangeTheModel) {
  TempDir dir;
  ServerThread s(echo_config(dir, false));
  Client c(s.cptr(), Protocol::Cptr);
  c.set_timeout(std::chrono::milliseconds(10'000));
  c.apb_write(kSocIfc + 0x120, 0x5A5A'1234);
  std::mt19937 rng(1234);
  for (int round = 0; round < 60; ++round) {
    const std::string path = round % 2 ? s.cptr_path() : s.mbox_path();
    const int fd = connect_unix(path);
    ASSERT_GE(fd, 0);
    std::vector<uint8_t> junk(1 + rng() % 300);
    for (auto& b : junk) b = static_cast<uint8_t>(rng());
    // Some rounds keep a valid magic so the parser goes further.
    if (round % 3 == 0 && junk.size() >= 12) {
      const auto h = le_header(round % 2 ? kCptrMagic : kMboxMagic, 1, static_cast<uint16_t>(rng() % 8),
                               static_cast<uint32_t>(rng() % 64));
      std::copy(h.begin(), h.end(), junk.begin());
    }
    write_all(fd, junk.data(), junk.size());
    if (round % 4 == 0) closed_by_peer(fd, 200);
    close(fd);
  }
  EXPECT_EQ(c.apb_read(kSocIfc + 0x120), 0x5A5A'1234u);
  expect_alive(s);
}

TEST(Robustness, TooManyClientsAreToldSo) {
  TempDir dir;
  ServerConfig cfg = echo_config(dir, false);
  cfg.max_clients = 2;
  ServerThread s(std::move(cfg));
  Client a(s.cptr(), Protocol::Cptr), b(s.cptr(), Protocol::Cptr);
  a.set_timeout(std::chrono::milliseconds(10'000));
  b.set_timeout(std::chrono::milliseconds(10'000));
  EXPECT_EQ(a.apb_read(kHwRevId) & 0xFFFF, 0x11u);
  EXPECT_EQ(b.apb_read(kHwRevId) & 0xFFFF, 0x11u);
  const int third = connect_unix(s.cptr_path());
  expect_error_frame(third, ErrorCode::Internal);
  EXPECT_TRUE(closed_by_peer(third));
  close(third);
  EXPECT_EQ(a.apb_read(kHwRevId) & 0xFFFF, 0x11u);
}
