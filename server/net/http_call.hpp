// http_call: one blocking HTTP/1.1 request with Beast, bounded by a timeout. Used by the
// command line (cli/remote.cpp) and between nodes of a cluster (server/cluster/, SPEC
// CLUSTER-4, -6, -7). Plain http://host:port[/base] only: TLS ends at the proxy.
// Never call it on a network thread: it blocks for up to `timeout`.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tandem {

struct HttpUrl {
  std::string host, port, base;  // base: a path prefix without the trailing '/', or ""
};

// "http://host[:port][/base]"; nullopt for anything else.
std::optional<HttpUrl> parse_http_url(std::string s);

struct HttpCallResult {
  int status = 0;  // 0: no answer (error says why)
  std::string body;
  std::string content_type;
  // Why there is no answer: "<stage>: <reason>" ("connect: Connection refused"), or
  // that the URL is not http://
  std::string error;
};

struct HttpCall {
  std::string base_url;      // "http://host:port[/base]"; `target` is appended to it
  std::string method = "GET";
  std::string target;        // path and query ("/api/boards?x=1")
  std::string bearer;        // Authorization: Bearer, when not empty
  std::string body;
  std::string content_type = "application/json";  // sent only with a body
  std::chrono::milliseconds timeout{60000};       // the whole request: connect, send, read
  std::string user_agent = "tandem";
  std::uint64_t body_limit = 1ULL << 30;          // largest answer body
};

HttpCallResult http_call(const HttpCall& call);

// `s` percent-encoded for a path segment or a query value (RFC 3986 unreserved kept).
std::string url_encode(std::string_view s);

}  // namespace tandem
