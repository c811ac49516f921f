// HttpSession: one plain HTTP connection. Serves /healthz, /readyz, /metrics, the API
// and the built web client; hands a WebSocket upgrade of /ws or /b/<id>/ws (CLUSTER-1:
// the balancer routes by that id) over to a WsConnection.
// Owned by its in-flight handlers; runs on the connection's strand.
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server_context.hpp"

namespace tandem {

// The WebSocket route of a request target: "" for /ws, the board id for /b/<id>/ws with a
// valid id ([A-Za-z0-9_-]{1,64}), nullopt for anything else (a query too: an upgrade
// carries no token or invite in its URL, docs/SECURITY.md).
std::optional<std::string> ws_route_board(std::string_view target);

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, ServerContext& ctx);
  void run();

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  ServerContext& ctx_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<void> response_;  // alive during the write
};

}  // namespace tandem
