#include "keys.hpp"

#include <cassert>

namespace tandem::storage {

void put_u64be(std::string* out, std::uint64_t v) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  out->append(buf, 8);
}

std::uint64_t get_u64be(std::string_view in) {
  assert(in.size() >= 8);
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

std::string board_prefix(std::string_view board_id) {
  assert(!board_id.empty() && board_id.size() <= kMaxBoardIdBytes);
  std::string k;
  k.reserve(1 + board_id.size() + 8);
  k.push_back(static_cast<char>(board_id.size()));
  k.append(board_id);
  return k;
}

std::string board_key(std::string_view board_id) { return std::string(board_id); }

std::string seq_key(std::string_view board_id, std::uint64_t seq) {
  std::string k = board_prefix(board_id);
  put_u64be(&k, seq);
  return k;
}

std::string client_key(std::string_view board_id, std::string_view client_id) {
  std::string k = board_prefix(board_id);
  k.append(client_id);
  return k;
}

static bool has_prefix(std::string_view key, std::string_view board_id) {
  return key.size() > board_id.size() &&
         static_cast<unsigned char>(key[0]) == board_id.size() &&
         key.substr(1, board_id.size()) == board_id;
}

std::optional<std::uint64_t> parse_seq_key(std::string_view key, std::string_view board_id) {
  if (!has_prefix(key, board_id) || key.size() != 1 + board_id.size() + 8) return std::nullopt;
  return get_u64be(key.substr(1 + board_id.size()));
}

std::optional<std::string> parse_client_key(std::string_view key, std::string_view board_id) {
  if (!has_prefix(key, board_id)) return std::nullopt;
  return std::string(key.substr(1 + board_id.size()));
}

std::string invite_key(std::string_view board_id, std::string_view nonce) { return client_key(board_id, nonce); }

std::string fence_key(std::string_view board_id) { return "fence" + board_prefix(board_id); }

std::string board_end(std::string_view board_id) {
  std::string k = board_prefix(board_id);
  // Ids are [A-Za-z0-9_-]: the last byte is below 0xff and can be incremented.
  k.back() = static_cast<char>(static_cast<unsigned char>(k.back()) + 1);
  return k;
}

}  // namespace tandem::storage
