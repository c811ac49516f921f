// Tokens: the signed strings that carry a TokenClaims (protocol/SPEC.md AUTH-1).
//
// A token is "t1." base64url(claims bytes) "." base64url(HMAC-SHA256(secret,
// "tandem-token-v1\0" + claims bytes)), base64url without padding. The MAC covers the
// exact claims bytes in the token, so verification never re-serializes. A TokenCodec
// holds the server secret; after construction it is immutable, so its const methods are
// thread-safe. The free functions are pure (random_id draws from OpenSSL's RNG, which
// is thread-safe).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tandem/v1/board.pb.h"

namespace tandem::access {

// A token longer than this is refused without decoding.
inline constexpr std::size_t kMaxTokenBytes = 2048;

// The server's 32-byte signing secret (secret.hpp loads it from the data folder).
struct Secret {
  std::array<std::uint8_t, 32> bytes{};
};

class TokenCodec {
 public:
  explicit TokenCodec(const Secret& secret);

  // The token of `claims`, signed with this codec's secret.
  std::string sign(const v1::TokenClaims& claims) const;

  // The claims of a token this codec signed; nullopt for anything else (too long,
  // malformed, bad MAC, unparsable claims, kind TOKEN_KIND_UNSPECIFIED).
  std::optional<v1::TokenClaims> verify(std::string_view token) const;

 private:
  std::array<std::uint8_t, 32> mac(std::string_view claims_bytes) const;
  Secret secret_;
};

// 16 random bytes, base64url without padding: 22 chars of [A-Za-z0-9_-], never
// starting with '-' so that a command line never takes an id for a flag (redrawn,
// which costs under 0.03 of the 128 bits).
std::string random_id();

// base64url (RFC 4648 §5) without padding.
std::string base64url_encode(std::string_view bytes);
// nullopt for padding, characters outside the alphabet, an impossible length
// (4n+1), or non-zero unused bits in the last character (one text per byte string).
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace tandem::access
