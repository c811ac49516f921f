// Collects a Welcome and the SnapshotPart messages that follow it (protocol/SPEC.md
// JOIN-8) into one Welcome, the way a client must before it loads the snapshot.
// Shared by the test clients and the load generator.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

#include "tandem/v1/sync.pb.h"

namespace tandem::testing {

class WelcomeParts {
 public:
  // Takes a welcome or a snapshot part; returns the whole welcome once it has every
  // part (at once for a welcome without parts), else nothing.
  std::optional<v1::Welcome> take(v1::ServerMessage* m) {
    if (m->has_welcome()) {
      welcome_ = std::move(*m->mutable_welcome());
      left_ = welcome_.snapshot_parts();
    } else if (m->has_snapshot_part() && left_ > 0) {
      for (v1::ObjectState& o : *m->mutable_snapshot_part()->mutable_objects())
        *welcome_.mutable_snapshot()->add_objects() = std::move(o);
      --left_;
    } else {
      return std::nullopt;
    }
    if (left_ > 0) return std::nullopt;
    return std::move(welcome_);
  }
  bool waiting() const { return left_ > 0; }

 private:
  v1::Welcome welcome_;
  std::uint32_t left_ = 0;
};

}  // namespace tandem::testing
