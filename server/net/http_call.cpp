// http_call(): one blocking HTTP/1.1 request with Beast, bounded by a deadline.
#include "net/http_call.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cctype>
#include <string_view>

namespace tandem {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::optional<HttpUrl> parse_http_url(std::string s) {
  constexpr std::string_view kScheme = "http://";
  if (s.rfind(kScheme, 0) != 0) return std::nullopt;
  s.erase(0, kScheme.size());
  HttpUrl u;
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

HttpCallResult http_call(const HttpCall& call) {
  HttpCallResult out;
  auto url = parse_http_url(call.base_url);
  if (!url) {
    out.error = call.base_url + " is not an http://host:port URL";
    return out;
  }
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  http::request<http::string_body> req{http::string_to_verb(call.method), url->base + call.target, 11};
  req.set(http::field::host, url->host);
  req.set(http::field::user_agent, call.user_agent);
  if (!call.bearer.empty()) req.set(http::field::authorization, "Bearer " + call.bearer);
  if (!call.body.empty()) req.set(http::field::content_type, call.content_type);
  req.body() = call.body;
  req.prepare_payload();
  beast::flat_buffer buf;
  http::response_parser<http::string_body> parser;
  parser.body_limit(call.body_limit);
  beast::error_code failed;
  const char* stage = "connect";

  tcp::resolver resolver(ioc);
  stream.expires_after(call.timeout);
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
    out.error = std::string(stage) + ": " + failed.message();
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return out;
}

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace tandem
