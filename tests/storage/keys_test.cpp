// Key codec: byte order is key order (storage/keys.hpp).
#include "storage/keys.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace tandem::storage {
namespace {

TEST(Keys, SeqKeysSortBytewiseInSeqOrder) {
  std::vector<std::uint64_t> seqs = {0, 1, 2, 255, 256, 65535, 65536, 1ull << 32, (1ull << 63) + 5, ~0ull};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) seqs.push_back(rng());
  std::vector<std::string> keys;
  for (auto s : seqs) keys.push_back(seq_key("board-1", s));
  std::sort(seqs.begin(), seqs.end());
  std::sort(keys.begin(), keys.end());  // std::string compares bytewise like RocksDB
  for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(parse_seq_key(keys[i], "board-1"), seqs[i]);
}

TEST(Keys, OneBoardsKeysNeverMixWithAnothers) {
  // "a" is a prefix of "ab" as text, but not as an encoded board prefix.
  const std::string a_last = seq_key("a", ~0ull);
  const std::string ab_first = seq_key("ab", 0);
  EXPECT_FALSE(parse_seq_key(ab_first, "a").has_value());
  EXPECT_FALSE(parse_seq_key(a_last, "ab").has_value());
  EXPECT_FALSE(parse_client_key(client_key("ab", "c1"), "a").has_value());
  EXPECT_EQ(parse_client_key(client_key("a", "c1"), "a"), "c1");
  // All of board "a"'s keys sort together: no key of another board falls between.
  EXPECT_LT(seq_key("a", 0), a_last);
  EXPECT_FALSE(seq_key("a", 0) < ab_first && ab_first < a_last);
}

TEST(Keys, BigEndianLayoutIsAsDrawn) {
  std::string k = seq_key("xy", 0x0102030405060708ull);
  ASSERT_EQ(k.size(), 1u + 2u + 8u);
  EXPECT_EQ(k[0], 2);
  EXPECT_EQ(k.substr(1, 2), "xy");
  EXPECT_EQ(static_cast<unsigned char>(k[3]), 0x01);
  EXPECT_EQ(static_cast<unsigned char>(k[10]), 0x08);
}

TEST(Keys, BoardEndIsAfterEveryKeyOfTheBoardAndBeforeTheNextBoard) {
  const std::string end = board_end("ab");
  EXPECT_LT(seq_key("ab", ~0ull), end);
  EXPECT_LT(client_key("ab", "zzzz"), end);
  EXPECT_LT(board_prefix("ab"), end);
  EXPECT_GE(seq_key("ac", 0), end);
  EXPECT_GT(seq_key("abc", 0), end);  // another length: another length byte
}

}  // namespace
}  // namespace tandem::storage
