#include "net/http_session.hpp"

#include <boost/beast/http/file_body.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <chrono>

#include "log.hpp"
#include "model/board_state.hpp"
#include "net/http_api.hpp"

#include "net/ws_connection.hpp"

namespace tandem {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

constexpr auto kWriteTimeout = std::chrono::seconds(30);  // a response to a slow reader
constexpr std::size_t kMaxRequestBodyBytes = 64 * 1024;
constexpr std::size_t kMaxImportBodyBytes = 16u << 20;  // POST /api/boards/import (SPEC EXPORT-5)

std::string_view mime_type(std::string_view path) {
  auto ext = path.substr(path.rfind('.') == std::string_view::npos ? path.size() : path.rfind('.'));
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript";
  if (ext == ".css") return "text/css";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  return "application/octet-stream";
}

log::Limiter g_upgrade_log;  // refused upgrades: a client can trigger them (server/log.hpp)

constexpr const char* kNoClientPage =
    "<!doctype html><meta charset=utf-8><title>Tandem</title>"
    "<p>Tandem server is running. The web client is not built: run <code>scripts/run.sh</code>.</p>";

}  // namespace

std::optional<std::string> ws_route_board(std::string_view target) {
  if (target == "/ws") return std::string();
  constexpr std::string_view kPrefix = "/b/", kSuffix = "/ws";
  if (!target.starts_with(kPrefix) || !target.ends_with(kSuffix) || target.size() <= kPrefix.size() + kSuffix.size())
    return std::nullopt;
  std::string id(target.substr(kPrefix.size(), target.size() - kPrefix.size() - kSuffix.size()));
  if (!model::valid_id(id)) return std::nullopt;
  return id;
}

HttpSession::HttpSession(net::ip::tcp::socket&& socket, ServerContext& ctx)
    : stream_(std::move(socket)), ctx_(ctx) {}

void HttpSession::run() {
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->body_limit(kMaxImportBodyBytes);  // checked against Content-Length with the header
  // A request arrives whole within the deadline, the upgrade included, and a keep-alive
  // connection idles no longer: a trickling client holds a socket that long only (LIMIT-2).
  stream_.expires_after(std::chrono::milliseconds(ctx_.config.request_timeout_ms));
  // The header first: an import brings a whole board (SPEC EXPORT-5), the rest 64 KiB.
  http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->on_read(ec, 0);
    if (!self->parser_->get().target().starts_with("/api/boards/import")) {
      auto length = self->parser_->content_length();
      if (length && *length > kMaxRequestBodyBytes) return self->on_read(http::error::body_limit, 0);
      self->parser_->body_limit(kMaxRequestBodyBytes);  // chunked bodies
    }
    http::async_read(self->stream_, self->buffer_, *self->parser_, beast::bind_front_handler(&HttpSession::on_read, self));
  });
}

namespace {

// The client's address: the peer's, or behind a trusted proxy the address that proxy
// appended last to X-Forwarded-For (LIMIT-1): the last entry of the last such header line
// (HAProxy adds a line, nginx extends the list). One that is not an address leaves the peer's.
std::string client_address(const ServerConfig& cfg, const std::string& peer,
                           const http::request<http::string_body>& req) {
  const auto& proxies = cfg.trusted_proxies;
  if (std::find(proxies.begin(), proxies.end(), peer) == proxies.end()) return peer;
  beast::string_view forwarded;
  for (auto [it, end] = req.equal_range("X-Forwarded-For"); it != end; ++it) forwarded = it->value();
  if (forwarded.empty()) return peer;
  const auto comma = forwarded.rfind(',');
  beast::string_view last = comma == beast::string_view::npos ? forwarded : forwarded.substr(comma + 1);
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
  beast::error_code ec;
  const auto address = net::ip::make_address(std::string(last), ec);
  return ec ? peer : address.to_string();
}

}  // namespace

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    if (ec == beast::error::timeout) bump(ctx_.metrics.handshake_timeouts);
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  http::request<http::string_body> req = parser_->release();

  const bool keep_alive = req.keep_alive();
  std::string address;
  const std::optional<std::string> ws_board = ws_route_board(req.target());
  if (beast::websocket::is_upgrade(req) && ws_board) {
    beast::error_code aec;
    address = client_address(ctx_.config, stream_.socket().remote_endpoint(aec).address().to_string(), req);
    if (ctx_.sessions.try_reserve(address, ctx_.config.max_connections_per_address)) {
      stream_.expires_never();
      std::make_shared<WsConnection>(stream_.release_socket(), ctx_, std::move(address))->run(std::move(req));
      return;
    }
  }

  auto send = [&](auto&& res) {
    using Res = std::decay_t<decltype(res)>;
    auto sp = std::make_shared<Res>(std::move(res));
    response_ = sp;
    stream_.expires_after(kWriteTimeout);
    http::async_write(stream_, *sp, beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), keep_alive));
  };
  auto text = [&](http::status status, std::string_view type, std::string body) {
    http::response<http::string_body> res{status, req.version()};
    res.set(http::field::server, "tandem");
    res.set(http::field::content_type, type);
    res.keep_alive(keep_alive);
    res.body() = std::move(body);
    res.prepare_payload();
    send(std::move(res));
  };

  if (beast::websocket::is_upgrade(req)) {
    // A refused upgrade: the path without its query (an invite may ride in it, and
    // tokens are never logged: docs/SECURITY.md).
    bump(ctx_.metrics.upgrades_refused);
    beast::error_code pec;
    const std::string peer = stream_.socket().remote_endpoint(pec).address().to_string();
    const bool too_many = !address.empty();
    log::limited(g_upgrade_log, log::Level::kInfo, log::Fields().peer(peer).code(too_many ? 429 : 426),
                 "WebSocket upgrade refused: %s (path %s%s)",
                 too_many ? "too many connections from this address" : "the target is not /ws",  // nor /b/<id>/ws
                 std::string(log::strip_query(req.target())).c_str(),
                 req.target().find('?') != beast::string_view::npos ? "?..." : "");
  }
  if (!address.empty())
    return text(http::status::too_many_requests, "text/plain",
                "too many connections from " + address + " (limit " +
                    std::to_string(ctx_.config.max_connections_per_address) + ")\n");
  std::string target(req.target().substr(0, req.target().find('?')));
  if (is_api_path(target)) {
    ApiRequest api;
    api.method = std::string(req.method_string());
    api.path = target;
    api.body = std::move(req.body());
    if (auto q = req.target().find('?'); q != std::string_view::npos) api.query = std::string(req.target().substr(q + 1));
    api.content_type = std::string(req[http::field::content_type]);
    auto auth = req[http::field::authorization];
    if (auth.rfind("Bearer ", 0) == 0) api.bearer = std::string(auth.substr(7));
    // The answer may come from a board's strand: write it on this session's.
    return handle_api(ctx_, std::move(api), [self = shared_from_this(), version = req.version(), keep_alive](ApiResponse r) {
      net::post(self->stream_.get_executor(), [self, version, keep_alive, r = std::move(r)]() mutable {
        http::response<http::string_body> res{static_cast<http::status>(r.status), version};
        res.set(http::field::server, "tandem");
        res.set(http::field::content_type, r.content_type);
        if (!r.filename.empty())
          res.set(http::field::content_disposition, "attachment; filename=\"" + r.filename + "\"");
        res.set(http::field::cache_control, "no-store");
        // A board elsewhere or not loadable now (CLUSTER-2, CLUSTER-5), storage down: retry.
        if (r.status == 503) res.set(http::field::retry_after, "1");
        res.keep_alive(keep_alive);
        res.body() = std::move(r.body);
        res.prepare_payload();
        auto sp = std::make_shared<http::response<http::string_body>>(std::move(res));
        self->response_ = sp;
        self->stream_.expires_after(kWriteTimeout);
        http::async_write(self->stream_, *sp,
                          beast::bind_front_handler(&HttpSession::on_write, self, keep_alive));
      });
    });
  }
  if (req.method() != http::verb::get && req.method() != http::verb::head)
    return text(http::status::method_not_allowed, "text/plain", "only GET\n");
  if (target == "/healthz") return text(http::status::ok, "text/plain", "ok\n");
  if (target == "/readyz") {
    // Ready: the store open and writable, not shutting down (docs/OPERATIONS.md).
    std::string why = not_ready_reason(ctx_);
    if (why.empty()) return text(http::status::ok, "text/plain", "ready\n");
    return text(http::status::service_unavailable, "text/plain", "not ready: " + why + "\n");
  }
  if (target == "/metrics") {
    beast::error_code pec;
    const std::string peer = stream_.socket().remote_endpoint(pec).address().to_string();
    auto auth = req[http::field::authorization];
    std::string_view bearer = auth.rfind("Bearer ", 0) == 0 ? std::string_view(auth).substr(7) : std::string_view();
    if (!metrics_allowed(ctx_, peer, bearer)) return text(http::status::forbidden, "text/plain", "forbidden\n");
    return text(http::status::ok, "text/plain; version=0.0.4; charset=utf-8", render_metrics(ctx_));
  }
  if (ws_route_board(target)) return text(http::status::upgrade_required, "text/plain", "WebSocket only\n");
  if (target.starts_with("/b/") && target.ends_with("/ws"))  // not a board id (CLUSTER-1)
    return text(http::status::not_found, "text/plain", "no such board\n");

  // Static files of the built web client; unknown paths get index.html (client routes).
  if (ctx_.config.web_root.empty() || target.find("..") != std::string::npos)
    return text(http::status::ok, "text/html; charset=utf-8", kNoClientPage);
  std::filesystem::path path = ctx_.config.web_root / std::filesystem::path(target).relative_path();
  std::error_code fec;
  if (target == "/" || !std::filesystem::is_regular_file(path, fec)) path = ctx_.config.web_root / "index.html";
  http::file_body::value_type file;
  file.open(path.c_str(), beast::file_mode::scan, ec);
  if (ec) return text(http::status::ok, "text/html; charset=utf-8", kNoClientPage);
  http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(file)),
                                      std::make_tuple(http::status::ok, req.version())};
  res.set(http::field::server, "tandem");
  res.set(http::field::content_type, mime_type(path.string()));
  res.keep_alive(keep_alive);
  res.prepare_payload();
  send(std::move(res));
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  response_.reset();
  if (ec) return;
  if (!keep_alive) {
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  do_read();
}

}  // namespace tandem
