// context_of(): a model::ApplyContext from the fields a test cares about, the rest at
// their defaults (no partial aggregate: no missing-initializer warnings).
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "model/board_state.hpp"

namespace tandem::model {

inline ApplyContext context_of(std::uint64_t seq, std::string author, std::int64_t time_ms = 0, bool system = false,
                               std::string author_id = "", std::string client_id = "") {
  ApplyContext c;
  c.seq = seq;
  c.author = std::move(author);
  c.time_ms = time_ms;
  c.system = system;
  c.author_id = std::move(author_id);
  c.client_id = std::move(client_id);
  return c;
}

}  // namespace tandem::model
