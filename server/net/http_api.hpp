// HttpApi: the JSON API under /api/ (protocol/SPEC.md API-1..6): board creation,
// redeeming invites, invite links, board info and deletion.
//
// Free of Beast: the HTTP session hands it the method, path, bearer token and body,
// and gets one response back through `respond`, which may be called on any thread
// (a board's strand): the session posts it to its own. Token checks use the
// Authorizer; everything about a board is decided on that board's strand
// (Board::admin). Tokens are never logged.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace tandem {

struct ServerContext;

struct ApiRequest {
  std::string method;  // "GET", "POST", "DELETE", ...
  std::string path;    // without the query
  std::string bearer;  // the Authorization: Bearer token, "" if none
  std::string body;
  std::string query;         // after '?', not yet decoded
  std::string content_type;  // of the body
};

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON unless content_type says otherwise
  std::string content_type = "application/json";
  std::string filename;  // set: sent as an attachment with this name (Content-Disposition)
};

// A query string ("a=1&b=x%20y") as decoded names and values (http_transfer.cpp).
std::map<std::string, std::string> parse_query(std::string_view query);

// True for the paths this API serves.
bool is_api_path(const std::string& path);
void handle_api(ServerContext& ctx, ApiRequest req, std::function<void(ApiResponse)> respond);

}  // namespace tandem
