// FakeSink: a Sink that records what the endpoint sends (parsed), in place of a
// WebSocket connection; Client: one endpoint over one FakeSink, ended like its
// connection would end. For tests that drive Endpoints and Boards without sockets.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "net/wire.hpp"
#include "session/endpoint.hpp"
#include "tandem/v1/sync.pb.h"

namespace tandem::testing {

using Kind = v1::ServerMessage::KindCase;

class FakeSink final : public Sink {
 public:
  void send(wire::SharedBytes entry) override { sent.push_back(parse(*entry)); }
  std::size_t send_changes(const wire::FanoutBatch& batch, std::uint64_t own_conn) override {
    std::size_t own = 0;
    for (const auto& f : *batch) {
      own += f.origin_conn == own_conn;
      send(f.origin_conn == own_conn ? f.ack : f.entry);
    }
    return own;
  }
  void send_parts(wire::Parts parts) override {
    for (const auto& p : *parts) send(p);
  }
  void send_presence(wire::PresenceTick tick) override {  // one tick: its messages, own skipped
    ++ticks;
    std::string bytes;
    tick.append_to(&bytes, false);
    v1::ServerFrame f;
    EXPECT_TRUE(f.ParseFromString(bytes));
    for (const auto& m : f.messages()) presence.emplace_back(m.presence().member().client_id(), m);
  }
  void settle_presence() override { ++settles; }
  void flush() override { ++flushes; }
  void close(std::uint16_t code, std::string reason) override {
    close_code = code;
    close_reason = std::move(reason);
  }
  void pause_reading() override { ++pauses, paused = true; }
  void resume_reading() override { ++resumes, paused = false; }

  std::size_t count(Kind k) const {
    return std::count_if(sent.begin(), sent.end(), [k](const auto& m) { return m.kind_case() == k; });
  }
  std::vector<v1::ErrorCode> errors() const {
    std::vector<v1::ErrorCode> out;
    for (const auto& m : sent)
      if (m.has_error()) out.push_back(m.error().code());
    return out;
  }

  std::vector<v1::ServerMessage> sent;
  std::vector<std::pair<std::string, v1::ServerMessage>> presence;
  int ticks = 0;
  int settles = 0;
  std::optional<std::uint16_t> close_code;
  std::string close_reason;
  bool paused = false;
  int pauses = 0;
  int resumes = 0;
  int flushes = 0;

 private:
  static v1::ServerMessage parse(const std::string& entry) {
    v1::ServerFrame f;
    EXPECT_TRUE(f.ParseFromString(entry));
    EXPECT_EQ(f.messages_size(), 1);
    return f.messages_size() ? f.messages(0) : v1::ServerMessage();
  }
};

// One connection as the endpoint sees it; ends like its connection would.
struct Client {
  std::shared_ptr<FakeSink> sink = std::make_shared<FakeSink>();
  std::shared_ptr<Endpoint> ep;
  ~Client() { ep->on_end(); }
  void send(const v1::ClientMessage& m) { ep->on_message(m.SerializeAsString(), true); }
};

}  // namespace tandem::testing
