// Order keys: the shared vectors (protocol/testdata/order_keys.txt) and properties.
#include "model/order_key.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

namespace tandem::model::order_key {
namespace {

std::optional<std::string_view> opt(const std::string& s) {
  if (s == "-") return std::nullopt;
  return std::string_view(s);
}

std::string unescape(std::string s) {
  for (std::size_t p; (p = s.find("%20")) != std::string::npos;) s.replace(p, 3, " ");
  return s;
}

TEST(OrderKey, PassesTheSharedVectors) {  // ORDER-1
  std::ifstream in(TANDEM_SOURCE_DIR "/protocol/testdata/order_keys.txt");
  ASSERT_TRUE(in) << "missing protocol/testdata/order_keys.txt";
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    std::string kind, a, b;
    f >> kind;
    if (kind == "between") {
      std::string want;
      f >> a >> b >> want;
      EXPECT_EQ(between(opt(a), opt(b)), want) << line;
      EXPECT_TRUE(valid(want)) << line;
    } else if (kind == "n") {
      std::size_t n;
      std::string list;
      f >> a >> b >> n >> list;
      std::vector<std::string> want;
      std::istringstream ls(list);
      for (std::string k; std::getline(ls, k, ',');) want.push_back(k);
      auto got = n_between(opt(a), opt(b), n);
      ASSERT_TRUE(got) << line;
      EXPECT_EQ(*got, want) << line;
    } else if (kind == "error") {
      f >> a >> b;
      EXPECT_FALSE(between(opt(a), opt(b))) << line;
    } else if (kind == "invalid") {
      f >> a;
      EXPECT_FALSE(valid(unescape(a))) << line;
    } else {
      ADD_FAILURE() << "unknown vector " << line;
    }
    ++checked;
  }
  EXPECT_GT(checked, 600);
}

TEST(OrderKey, RandomInsertionsStayOrderedAndValid) {  // ORDER-2
  std::mt19937 rng(42);
  std::vector<std::string> list;
  for (int i = 0; i < 3000; ++i) {
    std::size_t at = std::uniform_int_distribution<std::size_t>(0, list.size())(rng);
    std::optional<std::string_view> a, b;
    if (at > 0) a = list[at - 1];
    if (at < list.size()) b = list[at];
    auto k = between(a, b);
    ASSERT_TRUE(k);
    if (a) ASSERT_LT(std::string(*a), *k);
    if (b) ASSERT_LT(*k, std::string(*b));
    list.insert(list.begin() + static_cast<long>(at), *k);
  }
  EXPECT_TRUE(std::is_sorted(list.begin(), list.end()));
  EXPECT_EQ(std::adjacent_find(list.begin(), list.end()), list.end());
}

TEST(OrderKey, SameGapGivesTheSameKey) {  // ORDER-3: ties are broken by object id
  EXPECT_EQ(between("a0", "a1"), between("a0", "a1"));
}

TEST(OrderKey, RejectsMalformedAndOverlongKeys) {
  EXPECT_FALSE(valid(""));
  EXPECT_FALSE(valid("a0\xff"));
  EXPECT_TRUE(valid("a0" + std::string(126, 'V')));
  EXPECT_FALSE(valid("a0" + std::string(127, 'V')));
  EXPECT_FALSE(between(std::string_view("b1"), std::nullopt));
}

}  // namespace
}  // namespace tandem::model::order_key
