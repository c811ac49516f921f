// A blocking HTTP/1.1 client for the server's JSON API on loopback, shared by the
// tests (tests/support) and the load generator (bench/): no gtest, no Beast in here.
#pragma once

#include <cstdint>
#include <string>

namespace tandem::testing {

struct HttpResult {
  int status = 0;  // 0: no answer
  std::string body;
};

// One HTTP request to 127.0.0.1:`port`; `bearer` goes in Authorization: Bearer.
HttpResult http_request(std::uint16_t port, const std::string& method, const std::string& path,
                        const std::string& body = "", const std::string& bearer = "");
// The string value of `key` in a flat JSON object ("" if absent).
std::string json_field(const std::string& json, const std::string& key);

}  // namespace tandem::testing
