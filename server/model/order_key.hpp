// Order keys: fractional index strings that sort bytewise (DESIGN section 2).
//
// The scheme of the npm `fractional-indexing` package (4.0.0), so the browser and
// the server make the same keys; protocol/testdata/order_keys.txt holds the shared
// vectors. Grammar of a key:
//
//   key      := integer fraction
//   integer  := head digit{n}     head 'a'..'z': n = head - 'a' + 1
//                                 head 'A'..'Z': n = 'Z' - head + 1
//   fraction := digit*            no trailing '0'
//   digit    := [0-9A-Za-z]       base 62, in byte order
//
// except "A" followed by 26 '0's (the smallest integer, kept free). Tandem also caps
// keys at kMaxLength bytes. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::model::order_key {

inline constexpr std::size_t kMaxLength = 128;
// Past this length the server rebalances the list (one logged op, SPEC ORDER-4).
inline constexpr std::size_t kRebalanceLength = 64;

// A well-formed key of at most kMaxLength bytes.
bool valid(std::string_view key);

// A key strictly between a and b (nullopt = open end). a and b must be valid and
// differ; given out of order they are swapped. nullopt when that is impossible.
std::optional<std::string> between(std::optional<std::string_view> a, std::optional<std::string_view> b);

// n keys, ascending, strictly between a and b, spread as evenly as the scheme allows.
std::optional<std::vector<std::string>> n_between(std::optional<std::string_view> a,
                                                  std::optional<std::string_view> b, std::size_t n);

}  // namespace tandem::model::order_key
