// call(): one blocking HTTP/1.1 request to the server's API (net/http_call.hpp).
#include "cli/remote.hpp"

#include <chrono>
#include <filesystem>

#include "access/secret.hpp"
#include "auth.hpp"
#include "net/http_call.hpp"

namespace tandem::cli {

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
  if (!parse_http_url(remote.server)) {
    out.error = "--server " + remote.server + " is not an http://host:port URL";
    return out;
  }
  const std::string token = resolve_token(remote, &out.error);
  if (token.empty()) return out;
  HttpCall c;
  c.base_url = remote.server;
  c.method = method;
  c.target = target;
  c.bearer = token;
  c.body = body;
  c.content_type = content_type;
  c.timeout = std::chrono::seconds(60);
  c.user_agent = "tandem-cli";
  c.body_limit = 1ULL << 30;  // exports of a big board with its log
  HttpCallResult r = http_call(c);
  out.status = r.status;
  out.body = std::move(r.body);
  out.content_type = std::move(r.content_type);
  if (r.status == 0) out.error = "cannot reach the server at " + remote.server + " (" + r.error + ")";
  return out;
}

}  // namespace tandem::cli
