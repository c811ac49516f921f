#include "access/token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdlib>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

namespace tandem::access {
namespace {

constexpr std::string_view kPrefix = "t1.";
// Domain separation: these MACs mean "a Tandem v1 token", nothing else.
constexpr std::string_view kMacContext{"tandem-token-v1\0", 16};
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decode_char(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

std::string serialize(const v1::TokenClaims& claims) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    claims.SerializeToCodedStream(&coded);
  }
  return out;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 63]);
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = decode_char(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;  // non-canonical tail
  return out;
}

std::string random_id() {
  unsigned char bytes[16];
  do {
    if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();  // no safe fallback for ids
  } while ((bytes[0] >> 2) == 62);  // would encode as a leading '-'
  return base64url_encode({reinterpret_cast<const char*>(bytes), sizeof bytes});
}

TokenCodec::TokenCodec(const Secret& secret) : secret_(secret) {}

std::array<std::uint8_t, 32> TokenCodec::mac(std::string_view claims_bytes) const {
  std::string input(kMacContext);
  input.append(claims_bytes);
  std::array<std::uint8_t, 32> out{};
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), secret_.bytes.data(), static_cast<int>(secret_.bytes.size()),
            reinterpret_cast<const unsigned char*>(input.data()), input.size(), out.data(), &len) ||
      len != out.size()) {
    std::abort();  // HMAC-SHA256 cannot fail short of a broken libcrypto
  }
  return out;
}

std::string TokenCodec::sign(const v1::TokenClaims& claims) const {
  std::string bytes = serialize(claims);
  auto m = mac(bytes);
  std::string token(kPrefix);
  token += base64url_encode(bytes);
  token += '.';
  token += base64url_encode({reinterpret_cast<const char*>(m.data()), m.size()});
  return token;
}

std::optional<v1::TokenClaims> TokenCodec::verify(std::string_view token) const {
  if (token.size() > kMaxTokenBytes || !token.starts_with(kPrefix)) return std::nullopt;
  token.remove_prefix(kPrefix.size());
  auto dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto claims_text = token.substr(0, dot);
  auto mac_text = token.substr(dot + 1);  // a further '.' is not in the alphabet: refused below
  auto claims_bytes = base64url_decode(claims_text);
  auto given_mac = base64url_decode(mac_text);
  if (!claims_bytes || !given_mac || given_mac->size() != 32) return std::nullopt;
  auto expected = mac(*claims_bytes);
  if (CRYPTO_memcmp(expected.data(), given_mac->data(), expected.size()) != 0) return std::nullopt;
  v1::TokenClaims claims;
  if (!claims.ParseFromString(*claims_bytes)) return std::nullopt;
  if (claims.kind() == v1::TOKEN_KIND_UNSPECIFIED) return std::nullopt;
  return claims;
}

}  // namespace tandem::access
