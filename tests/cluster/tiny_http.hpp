// TinyHttp: a one-connection-at-a-time Beast HTTP server on a loopback port, standing in
// for another node or the balancer in placement_test.cpp: each request goes to a handler
// that answers (status, body). Stopped and joined by the destructor.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <utility>

namespace tandem::testing {

class TinyHttp {
 public:
  using Handler = std::function<std::pair<int, std::string>(const std::string& method, const std::string& target,
                                                            const std::string& body)>;

  explicit TinyHttp(Handler handler)
      : handler_(std::move(handler)),
        acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { run(); });
  }
  ~TinyHttp() {
    stop_ = true;
    boost::asio::io_context wake;  // unblocks accept()
    boost::asio::ip::tcp::socket s(wake);
    boost::system::error_code ec;
    s.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  TinyHttp(const TinyHttp&) = delete;
  TinyHttp& operator=(const TinyHttp&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }

 private:
  void run() {
    namespace http = boost::beast::http;
    while (!stop_) {
      boost::asio::ip::tcp::socket sock(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(sock, ec);
      if (stop_) return;
      if (ec) continue;
      boost::beast::flat_buffer buf;
      http::request<http::string_body> req;
      http::read(sock, buf, req, ec);
      if (ec) continue;
      auto [status, body] = handler_(std::string(req.method_string()), std::string(req.target()), req.body());
      http::response<http::string_body> res{static_cast<http::status>(status), 11};
      res.body() = std::move(body);
      res.prepare_payload();
      http::write(sock, res, ec);
      sock.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    }
  }

  Handler handler_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace tandem::testing
