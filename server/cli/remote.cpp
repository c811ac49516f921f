// call(): one blocking HTTP/1.1 request with Beast, bounded by a deadline.
#include "cli/remote.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <filesystem>

#include "access/secret.hpp"
#include "auth.hpp"

namespace tandem::cli {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto kDeadline = std::chrono::seconds(60);

struct Url {
  std::string host, port, base;
};

// "http://host[:port][/base]"; nullopt for anything else (https: put a local
// address here, TLS ends at the proxy, docs/deploy/).
std::optional<Url> parse_url(std::string s) {
  constexpr std::string_view kScheme = "http://";
  if (s.rfind(kScheme, 0) != 0) return std::nullopt;
  s.erase(0, kScheme.size());
  Url u;
  auto slash = s.find('/');
  if (slash != std::string::npos) {
    u.base = s.substr(slash);
    s.erase(slash);
    while (!u.base.empty() && u.base.back() == '/') u.base.pop_back();
  }
  auto colon = s.rfind(':');
  if (colon != std::string::npos && s.find(']', colon) == std::string::npos) {
    u.port = s.substr(colon + 1);
    s.erase(colon);
  } else {
    u.port = "80";
  }
  if (s.size() > 1 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  u.host = s;
  if (u.host.empty() || u.port.empty()) return std::nullopt;
  return u;
}

}  // namespace

std::string resolve_token(const Remote& remote, std::string* error) {
  if (!remote.token.empty()) return remote.token;
  const std::filesystem::path data = remote.data_dir;
  if (!std::filesystem::exists(data / "secret")) {
    *error = "no token: give --token (TANDEM_TOKEN), or --data with the server's data folder (no secret in " +
             remote.data_dir + ")";
    return "";
  }
  access::Secret secret;
  bool created = false;
  Status s = access::load_or_create_secret(data, &secret, &created);
  if (!s.ok()) {
    *error = "cannot read the secret in " + remote.data_dir + ": " + s.to_string();
    return "";
  }
  return Authorizer(secret, CreatePolicy::kAdmin).admin_token();
}

Reply call(const Remote& remote, const std::string& method, const std::string& target, const std::string& body,
           const std::string& content_type) {
  Reply out;
  auto url = parse_url(remote.server);
  if (!url) {
    out.error = "--server " + remote.server + " is not an http://host:port URL";
    return out;
  }
  const std::string token = resolve_token(remote, &out.error);
  if (token.empty()) return out;

  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  http::request<http::string_body> req{http::string_to_verb(method), url->base + target, 11};
  req.set(http::field::host, url->host);
  req.set(http::field::user_agent, "tandem-cli");
  req.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) req.set(http::field::content_type, content_type);
  req.body() = body;
  req.prepare_payload();
  beast::flat_buffer buf;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1ULL << 30);  // exports of a big board with its log
  beast::error_code failed;
  const char* stage = "connect";

  tcp::resolver resolver(ioc);
  stream.expires_after(kDeadline);
  resolver.async_resolve(url->host, url->port, [&](beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return void(failed = ec);
    stream.async_connect(results, [&](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return void(failed = ec);
      stage = "send";
      http::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
        if (ec) return void(failed = ec);
        stage = "read the answer";
        http::async_read(stream, buf, parser, [&](beast::error_code ec, std::size_t) {
          if (ec) return void(failed = ec);
          out.status = static_cast<int>(parser.get().result_int());
          out.body = std::move(parser.get().body());
          out.content_type = std::string(parser.get()[http::field::content_type]);
        });
      });
    });
  });
  ioc.run();
  if (failed) {
    out.status = 0;
    out.error = "cannot reach the server at " + remote.server + " (" + stage + ": " + failed.message() + ")";
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return out;
}

}  // namespace tandem::cli
