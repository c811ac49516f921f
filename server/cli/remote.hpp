// How a `tandem` command other than `serve` reaches a running server: through its HTTP
// API (docs/OPERATIONS.md), with the admin token (`tandem admin-token`) or one given.
#pragma once

#include <string>

namespace tandem::cli {

struct Remote {
  std::string server = "http://127.0.0.1:8080";  // --server, TANDEM_SERVER
  std::string token;                              // --token, TANDEM_TOKEN; "": the admin token of data_dir
  std::string data_dir = "./data";                // --data, TANDEM_DATA
};

struct Reply {
  int status = 0;            // 0: no answer (error says why)
  std::string body;
  std::string content_type;
  std::string error;         // the server could not be reached
};

// The token `remote` acts with: its token, else the admin token signed with the secret of
// its data folder; "" with *error set when there is neither.
std::string resolve_token(const Remote& remote, std::string* error);

// One request to `remote`'s API. `target` is the path and query ("/api/boards?x=1").
Reply call(const Remote& remote, const std::string& method, const std::string& target,
           const std::string& body = "", const std::string& content_type = "application/json");

}  // namespace tandem::cli
