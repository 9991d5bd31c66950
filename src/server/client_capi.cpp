// include/calemu_client.h over server::Client.
#include "calemu_client.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "server/client.h"
#include "server/mbox_commands.h"

using calemu::server::Client;
using calemu::server::ClientError;
using calemu::server::ServerError;

struct calemu_client {
  std::unique_ptr<Client> client;
  std::string error;
};

namespace {

calemu_state to_c(const calemu::server::StateInfo& s) {
  return calemu_state{static_cast<uint32_t>(s.boot_state), s.boot_status, s.flow_status, s.fw_error_fatal,
                      s.fw_error_non_fatal, s.cycle};
}

// Runs a call and turns exceptions into return codes.
template <typename F>
int guarded(calemu_client* c, F&& f) {
  if (!c || !c->client) return CALEMU_CLIENT_ARG;
  try {
    c->error.clear();
    return f(*c->client);
  } catch (const ServerError& e) {
    c->error = e.what();
    return static_cast<int>(e.code());
  } catch (const ClientError& e) {
    c->error = e.what();
    return std::string(e.what()).rfind("no reply", 0) == 0 ? CALEMU_CLIENT_TIMEOUT : CALEMU_CLIENT_IO;
  } catch (const std::exception& e) {
    c->error = e.what();
    return CALEMU_CLIENT_IO;
  }
}

int copy_out(calemu_client* c, const std::vector<uint8_t>& data, uint8_t* out, size_t cap, size_t* len) {
  if (len) *len = data.size();
  if (data.size() > cap || (!out && !data.empty())) {
    c->error = "response of " + std::to_string(data.size()) + " bytes does not fit a buffer of " + std::to_string(cap);
    return CALEMU_CLIENT_ARG;
  }
  if (!data.empty()) std::memcpy(out, data.data(), data.size());
  return CALEMU_CLIENT_OK;
}

}  // namespace

extern "C" {

calemu_client* calemu_client_connect(const char* endpoint, enum calemu_protocol protocol, char** error) {
  if (error) *error = nullptr;
  if (!endpoint) return nullptr;
  try {
    auto c = std::make_unique<calemu_client>();
    c->client = std::make_unique<Client>(
        endpoint, protocol == CALEMU_PROTOCOL_MBOX ? calemu::server::Protocol::Mbox : calemu::server::Protocol::Cptr);
    return c.release();
  } catch (const std::exception& e) {
    if (error) *error = strdup(e.what());
    return nullptr;
  }
}

void calemu_client_close(calemu_client* c) { delete c; }

void calemu_client_set_timeout(calemu_client* c, uint32_t timeout_ms) {
  if (c && c->client) c->client->set_timeout(std::chrono::milliseconds(timeout_ms));
}

const char* calemu_client_last_error(const calemu_client* c) { return c ? c->error.c_str() : "no client"; }

int calemu_client_hello(calemu_client* c, uint32_t features, uint32_t* granted, uint32_t* hw_generation) {
  return guarded(c, [&](Client& cl) -> int {
    const auto a = cl.hello(features);
    if (granted) *granted = a.features;
    if (hw_generation) *hw_generation = a.hw_generation;
    return CALEMU_CLIENT_OK;
  });
}

int calemu_client_hello_as(calemu_client* c, uint32_t features, uint32_t axi_user, uint32_t* granted) {
  return guarded(c, [&](Client& cl) -> int {
    const auto a = cl.hello(features, axi_user);
    if (granted) *granted = a.features;
    return CALEMU_CLIENT_OK;
  });
}

int calemu_apb_read(calemu_client* c, uint32_t addr, uint32_t* value) {
  if (!value) return CALEMU_CLIENT_ARG;
  return guarded(c, [&](Client& cl) -> int {
    *value = cl.apb_read(addr);
    return CALEMU_CLIENT_OK;
  });
}

int calemu_apb_write(calemu_client* c, uint32_t addr, uint32_t value) {
  return guarded(c, [&](Client& cl) -> int {
    cl.apb_write(addr, value);
    return CALEMU_CLIENT_OK;
  });
}

int calemu_mbox_execute(calemu_client* c, uint32_t cmd, const uint8_t* req, size_t req_len, uint32_t* status,
                        uint8_t* resp, size_t resp_cap, size_t* resp_len) {
  if ((!req && req_len) || !status) return CALEMU_CLIENT_ARG;
  return guarded(c, [&](Client& cl) -> int {
    const auto r = cl.mbox_execute(cmd, std::span<const uint8_t>(req, req_len));
    *status = r.status;
    return copy_out(c, r.data, resp, resp_cap, resp_len);
  });
}

int calemu_mbox_request(calemu_client* c, uint32_t cmd, const uint8_t* fields, size_t fields_len, uint32_t* status,
                        uint8_t* resp, size_t resp_cap, size_t* resp_len) {
  if ((!fields && fields_len) || !status) return CALEMU_CLIENT_ARG;
  return guarded(c, [&](Client& cl) -> int {
    std::vector<uint8_t> payload(4 + fields_len, 0);
    if (fields_len) std::memcpy(payload.data() + 4, fields, fields_len);
    calemu::server::mbox::fill_checksum(cmd, payload);
    const auto r = cl.mbox_execute(cmd, payload);
    *status = r.status;
    const int rc = copy_out(c, r.data, resp, resp_cap, resp_len);
    if (rc != CALEMU_CLIENT_OK) return rc;
    if (r.status == 1 && r.data.size() >= 8 &&
        calemu::server::load_le32(r.data.data()) !=
            calemu::server::mbox::checksum(0, std::span<const uint8_t>(r.data).subspan(4))) {
      c->error = "the response checksum does not match";
      return CALEMU_CLIENT_CHECKSUM;
    }
    return CALEMU_CLIENT_OK;
  });
}

uint32_t calemu_mbox_checksum(uint32_t cmd, const uint8_t* data, size_t len) {
  return calemu::server::mbox::checksum(cmd, std::span<const uint8_t>(data, data ? len : 0));
}

int calemu_client_get_state(calemu_client* c, calemu_state* state) {
  if (!state) return CALEMU_CLIENT_ARG;
  return guarded(c, [&](Client& cl) -> int {
    *state = to_c(cl.get_state());
    return CALEMU_CLIENT_OK;
  });
}

int calemu_client_reset(calemu_client* c, int warm) {
  return guarded(c, [&](Client& cl) -> int {
    cl.reset(warm ? calemu::server::ResetKind::Warm : calemu::server::ResetKind::Cold);
    return CALEMU_CLIENT_OK;
  });
}

int calemu_client_program_fuses(calemu_client* c, const char* fuse_text, int start_boot) {
  return guarded(c, [&](Client& cl) -> int {
    cl.program_fuses(fuse_text ? fuse_text : "", start_boot ? calemu::server::kFusesStart : 0);
    return CALEMU_CLIENT_OK;
  });
}

int calemu_client_wait_event(calemu_client* c, uint32_t timeout_ms, calemu_event* event) {
  if (!event) return CALEMU_CLIENT_ARG;
  return guarded(c, [&](Client& cl) -> int {
    const auto e = cl.next_event(std::chrono::milliseconds(timeout_ms));
    if (!e) return static_cast<int>(CALEMU_CLIENT_TIMEOUT);
    *event = calemu_event{e->event, e->code, to_c(e->state)};
    return static_cast<int>(CALEMU_CLIENT_OK);
  });
}

}  // extern "C"
