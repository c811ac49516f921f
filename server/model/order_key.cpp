#include "order_key.hpp"

#include <utility>

namespace tandem::model::order_key {

namespace {

constexpr std::string_view kDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr char kZero = '0';
constexpr char kLast = 'z';

int digit_index(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c >= 'a' && c <= 'z') return c - 'a' + 36;
  return -1;
}

// Length of the integer part that starts with `head`; 0 if head is not a head.
std::size_t integer_length(char head) {
  if (head >= 'a' && head <= 'z') return static_cast<std::size_t>(head - 'a') + 2;
  if (head >= 'A' && head <= 'Z') return static_cast<std::size_t>('Z' - head) + 2;
  return 0;
}

const std::string& smallest_integer() {
  static const std::string s = "A" + std::string(26, kZero);
  return s;
}

std::string_view integer_part(std::string_view key) { return key.substr(0, integer_length(key[0])); }

// A key strictly between fractions a and b (b absent = 1), both without trailing zeros.
std::string midpoint(std::string_view a, std::optional<std::string_view> b) {
  if (b) {
    // Drop the common prefix, reading `a` as padded with zeros.
    std::size_t n = 0;
    while (n < b->size() && (n < a.size() ? a[n] : kZero) == (*b)[n]) ++n;
    if (n > 0) {
      return std::string(b->substr(0, n)) + midpoint(n < a.size() ? a.substr(n) : std::string_view(), b->substr(n));
    }
  }
  const int da = a.empty() ? 0 : digit_index(a[0]);
  const int db = b ? digit_index((*b)[0]) : static_cast<int>(kDigits.size());
  if (db - da > 1) return std::string(1, kDigits[static_cast<std::size_t>((da + db + 1) / 2)]);
  if (b && b->size() > 1) return std::string(b->substr(0, 1));
  return std::string(1, kDigits[static_cast<std::size_t>(da)]) +
         midpoint(a.empty() ? std::string_view() : a.substr(1), std::nullopt);
}

std::optional<std::string> increment_integer(std::string_view x) {
  std::string digs(x.substr(1));
  const char head = x[0];
  bool carry = true;
  for (std::size_t i = digs.size(); carry && i-- > 0;) {
    const int d = digit_index(digs[i]) + 1;
    if (d == static_cast<int>(kDigits.size())) {
      digs[i] = kZero;
    } else {
      digs[i] = kDigits[static_cast<std::size_t>(d)];
      carry = false;
    }
  }
  if (!carry) return std::string(1, head) + digs;
  if (head == 'Z') return std::string("a") + kZero;
  if (head == 'z') return std::nullopt;
  const char h = static_cast<char>(head + 1);
  if (h > 'a') digs.push_back(kZero);
  else digs.pop_back();
  return std::string(1, h) + digs;
}

std::optional<std::string> decrement_integer(std::string_view x) {
  std::string digs(x.substr(1));
  const char head = x[0];
  bool borrow = true;
  for (std::size_t i = digs.size(); borrow && i-- > 0;) {
    const int d = digit_index(digs[i]) - 1;
    if (d == -1) {
      digs[i] = kLast;
    } else {
      digs[i] = kDigits[static_cast<std::size_t>(d)];
      borrow = false;
    }
  }
  if (!borrow) return std::string(1, head) + digs;
  if (head == 'a') return std::string("Z") + kLast;
  if (head == 'A') return std::nullopt;
  const char h = static_cast<char>(head - 1);
  if (h < 'Z') digs.push_back(kLast);
  else digs.pop_back();
  return std::string(1, h) + digs;
}

}  // namespace

bool valid(std::string_view key) {
  if (key.empty() || key.size() > kMaxLength) return false;
  for (char c : key)
    if (digit_index(c) < 0) return false;
  const std::size_t n = integer_length(key[0]);
  if (n == 0 || n > key.size()) return false;
  if (key == smallest_integer()) return false;
  if (key.size() > n && key.back() == kZero) return false;
  return true;
}

std::optional<std::string> between(std::optional<std::string_view> a, std::optional<std::string_view> b) {
  if ((a && !valid(*a)) || (b && !valid(*b))) return std::nullopt;
  if (a && b) {
    if (*a == *b) return std::nullopt;
    if (*a > *b) std::swap(a, b);
  }
  if (!a) {
    if (!b) return std::string("a") + kZero;
    const std::string_view ib = integer_part(*b);
    const std::string_view fb = b->substr(ib.size());
    if (ib == smallest_integer()) return std::string(ib) + midpoint("", fb);
    if (ib.size() < b->size()) return std::string(ib);  // ib < b: b has a fraction
    return decrement_integer(ib);
  }
  const std::string_view ia = integer_part(*a);
  const std::string_view fa = a->substr(ia.size());
  if (!b) {
    auto i = increment_integer(ia);
    return i ? *i : std::string(ia) + midpoint(fa, std::nullopt);
  }
  const std::string_view ib = integer_part(*b);
  const std::string_view fb = b->substr(ib.size());
  if (ia == ib) return std::string(ia) + midpoint(fa, fb);
  auto i = increment_integer(ia);
  if (!i) return std::nullopt;
  if (*i < *b) return i;
  return std::string(ia) + midpoint(fa, std::nullopt);
}

std::optional<std::vector<std::string>> n_between(std::optional<std::string_view> a,
                                                  std::optional<std::string_view> b, std::size_t n) {
  std::vector<std::string> out;
  if (n == 0) return out;
  if (n == 1) {
    auto k = between(a, b);
    if (!k) return std::nullopt;
    out.push_back(std::move(*k));
    return out;
  }
  if (!b) {
    auto c = between(a, b);
    if (!c) return std::nullopt;
    out.push_back(*c);
    for (std::size_t i = 1; i < n; ++i) {
      c = between(out.back(), b);
      if (!c) return std::nullopt;
      out.push_back(std::move(*c));
    }
    return out;
  }
  if (!a) {
    auto c = between(a, b);
    if (!c) return std::nullopt;
    out.push_back(*c);
    for (std::size_t i = 1; i < n; ++i) {
      c = between(a, out.back());
      if (!c) return std::nullopt;
      out.push_back(std::move(*c));
    }
    return std::vector<std::string>(out.rbegin(), out.rend());
  }
  const std::size_t mid = n / 2;
  auto c = between(a, b);
  if (!c) return std::nullopt;
  auto left = n_between(a, *c, mid);
  auto right = n_between(*c, b, n - mid - 1);
  if (!left || !right) return std::nullopt;
  out = std::move(*left);
  out.push_back(std::move(*c));
  out.insert(out.end(), std::make_move_iterator(right->begin()), std::make_move_iterator(right->end()));
  return out;
}

}  // namespace tandem::model::order_key
