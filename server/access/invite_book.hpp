// InviteBook: the invites of one board and whether they still admit anyone
// (protocol/SPEC.md AUTH-4, AUTH-5). Held by the board actor, touched on its strand
// only; the records are written to the `invites` column family by the actor.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tandem/v1/board.pb.h"

namespace tandem::access {

class InviteBook {
 public:
  // From the stored records (nonce -> InviteRecord bytes); false if one is corrupt.
  bool load(const std::unordered_map<std::string, std::string>& records);
  void clear() { invites_.clear(); }

  const v1::InviteRecord* find(std::string_view nonce) const;
  // A member token redeemed from `invite_nonce` is still good: "" (the board's
  // creator) or a known invite that is not revoked.
  bool admits(std::string_view invite_nonce) const;
  // Adds or replaces a record.
  const v1::InviteRecord& put(v1::InviteRecord record);
  // Every invite, oldest first.
  std::vector<const v1::InviteRecord*> list() const;

 private:
  std::map<std::string, v1::InviteRecord, std::less<>> invites_;
};

}  // namespace tandem::access
