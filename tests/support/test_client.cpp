#include "test_client.hpp"
#include "support/welcome_parts.hpp"

#include "ops.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <future>
#include <thread>

namespace tandem::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct TestClient::Impl {
  net::io_context ioc;
  websocket::stream<tcp::socket> ws{ioc};
  beast::flat_buffer buffer;
  std::thread thread;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;

  mutable std::mutex mu;
  std::condition_variable cv;
  std::deque<v1::ServerMessage> inbox;  // GUARDED_BY(mu)
  bool closed = false;                  // GUARDED_BY(mu)
  bool tolerate_send_errors = false;
  int close_code = 0;                   // GUARDED_BY(mu)
  std::uint64_t frames = 0;             // GUARDED_BY(mu)

  void do_read() {
    ws.async_read(buffer, [this](beast::error_code ec, std::size_t) {
      if (ec) {
        std::lock_guard<std::mutex> lock(mu);
        closed = true;
        close_code = ws.reason().code;
        cv.notify_all();
        return;
      }
      v1::ServerFrame frame;
      auto data = buffer.cdata();
      bool ok = frame.ParseFromArray(data.data(), static_cast<int>(data.size()));
      buffer.consume(buffer.size());
      {
        std::lock_guard<std::mutex> lock(mu);
        ++frames;
        if (ok) {
          for (auto& m : *frame.mutable_messages()) inbox.push_back(std::move(m));
        } else {
          ADD_FAILURE() << "server sent a frame that is not a ServerFrame";
        }
        cv.notify_all();
      }
      do_read();
    });
  }
};

TestClient::TestClient(std::uint16_t port, Options options) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.tolerate_send_errors = options.tolerate_send_errors;
  tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port);
  m.ws.next_layer().open(tcp::v4());
  if (options.receive_buffer_bytes > 0)
    m.ws.next_layer().set_option(net::socket_base::receive_buffer_size(options.receive_buffer_bytes));
  m.ws.next_layer().connect(ep);
  m.ws.handshake("127.0.0.1:" + std::to_string(port), options.target);
  m.ws.binary(true);
  m.ws.read_message_max(64 << 20);
  m.work.emplace(m.ioc.get_executor());
  m.thread = std::thread([&m] { m.ioc.run(); });
  if (options.read) start_reading();
}

TestClient::~TestClient() {
  Impl& m = *impl_;
  net::post(m.ioc, [&m] {
    beast::error_code ec;
    m.ws.next_layer().close(ec);
  });
  m.work.reset();
  m.thread.join();
}

void TestClient::start_reading() {
  net::post(impl_->ioc, [this] { impl_->do_read(); });
}

void TestClient::send_raw(const std::string& bytes, bool binary) {
  std::promise<beast::error_code> done;
  net::post(impl_->ioc, [&] {
    impl_->ws.binary(binary);
    impl_->ws.async_write(net::buffer(bytes), [&](beast::error_code ec, std::size_t) { done.set_value(ec); });
  });
  beast::error_code ec = done.get_future().get();
  if (impl_->tolerate_send_errors) return;
  ASSERT_FALSE(ec) << "send failed: " << ec.message();
}

void TestClient::send(const v1::ClientMessage& msg) { send_raw(msg.SerializeAsString(), true); }

std::optional<v1::ServerMessage> TestClient::wait_for(const std::function<bool(const v1::ServerMessage&)>& pred,
                                                      std::chrono::milliseconds timeout, const std::string& what) {
  Impl& m = *impl_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock<std::mutex> lock(m.mu);
  for (;;) {
    while (!m.inbox.empty()) {
      v1::ServerMessage msg = std::move(m.inbox.front());
      m.inbox.pop_front();
      if (pred(msg)) return msg;
    }
    if (m.closed) {
      ADD_FAILURE() << "connection closed (code " << m.close_code << ") while waiting for " << what;
      return std::nullopt;
    }
    if (m.cv.wait_until(lock, deadline) == std::cv_status::timeout && m.inbox.empty()) {
      ADD_FAILURE() << "timed out waiting for " << what;
      return std::nullopt;
    }
  }
}

std::optional<v1::ServerMessage> TestClient::next(std::chrono::milliseconds timeout) {
  Impl& m = *impl_;
  std::unique_lock<std::mutex> lock(m.mu);
  if (!m.cv.wait_for(lock, timeout, [&] { return !m.inbox.empty() || m.closed; })) return std::nullopt;
  if (m.inbox.empty()) return std::nullopt;
  v1::ServerMessage msg = std::move(m.inbox.front());
  m.inbox.pop_front();
  return msg;
}

bool TestClient::closed() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->closed;
}

std::optional<v1::ServerMessage> TestClient::wait_kind(v1::ServerMessage::KindCase kind,
                                                       std::chrono::milliseconds timeout) {
  return wait_for([kind](const v1::ServerMessage& m) { return m.kind_case() == kind; }, timeout,
                  "message kind " + std::to_string(kind));
}

v1::Welcome TestClient::join(const std::string& board, const std::string& client_id, std::uint64_t last_seen,
                             const std::string& token) {
  send(join_msg(board, client_id, last_seen, token));
  return wait_welcome();
}

v1::Welcome TestClient::wait_welcome(std::chrono::milliseconds timeout, std::uint32_t* parts_seen) {
  auto m = wait_kind(v1::ServerMessage::kWelcome, timeout);
  if (!m) return v1::Welcome();
  if (parts_seen) *parts_seen = m->welcome().snapshot_parts();
  WelcomeParts parts;  // JOIN-8: the snapshot parts follow
  for (auto w = parts.take(&*m);; w = parts.take(&*m)) {
    if (w) return *w;
    m = wait_kind(v1::ServerMessage::kSnapshotPart, timeout);
    if (!m) return v1::Welcome();
  }
}

std::optional<int> TestClient::wait_closed(std::chrono::milliseconds timeout) {
  Impl& m = *impl_;
  std::unique_lock<std::mutex> lock(m.mu);
  if (!m.cv.wait_for(lock, timeout, [&] { return m.closed; })) return std::nullopt;
  return m.close_code;
}

std::vector<v1::ServerMessage> TestClient::drain() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  std::vector<v1::ServerMessage> out(impl_->inbox.begin(), impl_->inbox.end());
  impl_->inbox.clear();
  return out;
}

std::uint64_t TestClient::frames_received() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->frames;
}

std::string http_get(std::uint16_t port, const std::string& path) {
  try {
    net::io_context ioc;
    tcp::socket sock(ioc);
    sock.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    http::request<http::empty_body> req{http::verb::get, path, 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(sock, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(sock, buf, res);
    return res.body();
  } catch (const std::exception&) {
    return "";
  }
}

NewBoard create_board_http(std::uint16_t port, const std::string& kind, const std::string& name) {
  auto r = http_request(port, "POST", "/api/boards", "{\"kind\":\"" + kind + "\",\"name\":\"" + name + "\"}");
  EXPECT_EQ(r.status, 201) << r.body;
  return {json_field(r.body, "board_id"), json_field(r.body, "member_token"), json_field(r.body, "owner_invite")};
}

std::uint64_t metric(std::uint16_t port, const std::string& name) {
  std::string body = http_get(port, "/metrics");
  std::string key = "\ntandem_" + name + " ";
  auto pos = body.find(key);
  if (pos == std::string::npos) return 0;
  return std::stoull(body.substr(pos + key.size()));
}

bool metric_reaches(std::uint16_t port, const std::string& name, std::uint64_t value, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (metric(port, name) == value) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
  }
}

}  // namespace tandem::testing
