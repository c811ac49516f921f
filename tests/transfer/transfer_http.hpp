// HTTP for the export / import tests (protocol/SPEC.md EXPORT-*): a request with a body's
// content type, and the answer's headers the tests check (content type, file name).
// Also builds the boards the tests share.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "transfer/export_json.hpp"

namespace tandem::testing {

struct Answer {
  int status = 0;
  std::string body, content_type, disposition;
};

inline Answer request(std::uint16_t port, const std::string& method, const std::string& target,
                      const std::string& bearer, const std::string& body = "",
                      const std::string& content_type = "application/json") {
  namespace net = boost::asio;
  namespace http = boost::beast::http;
  try {
    net::io_context ioc;
    net::ip::tcp::socket sock(ioc);
    sock.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, content_type);
    if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
    req.body() = body;
    req.prepare_payload();
    http::write(sock, req);
    boost::beast::flat_buffer buf;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    http::read(sock, buf, parser);
    auto& res = parser.get();
    return {static_cast<int>(res.result_int()), res.body(), std::string(res[http::field::content_type]),
            std::string(res[http::field::content_disposition])};
  } catch (const std::exception&) {
    return {};
  }
}

// A parsed BoardExport answer (fails the test when it does not parse).
inline v1::BoardExport parse_export(const Answer& a) {
  std::string error;
  auto e = transfer::from_json(a.body, &error);
  EXPECT_TRUE(e) << error << "\n" << a.body.substr(0, 500);
  return e ? *e : v1::BoardExport{};
}

// The live objects of a snapshot by id, without their seqs (an import gives new ones).
inline std::map<std::string, v1::ObjectState> live_objects(const v1::BoardSnapshot& s) {
  std::map<std::string, v1::ObjectState> out;
  for (v1::ObjectState o : s.objects()) {
    if (o.deleted()) continue;
    o.clear_created_seq();
    o.clear_updated_seq();
    out.emplace(o.id(), std::move(o));
  }
  return out;
}

// Compares two boards object by object (EXPORT-5: an import gives an equal board).
inline void expect_same_objects(const v1::BoardSnapshot& a, const v1::BoardSnapshot& b) {
  auto x = live_objects(a), y = live_objects(b);
  EXPECT_EQ(x.size(), y.size());
  for (const auto& [id, o] : x) {
    auto it = y.find(id);
    if (it == y.end()) {
      ADD_FAILURE() << "object " << id << " missing";
      continue;
    }
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(o, it->second))
        << "object " << id << "\n" << o.DebugString() << "vs\n" << it->second.DebugString();
  }
}

}  // namespace tandem::testing
