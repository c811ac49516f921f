// Authorizer: the one place that turns a join's token into a role on a board.
// Every permission check on the server starts from the role it returns.
// Thread-safe (stateless for now).
#pragma once

#include <string>

#include "tandem/v1/sync.pb.h"

namespace tandem {

class Authorizer {
 public:
  // The role `token` grants on `board_id`; ROLE_UNSPECIFIED refuses the join.
  // For now every token is accepted as an editor: signed invite tokens come with
  // roles (DESIGN section 5).
  v1::Role authorize(const std::string& board_id, const std::string& token) const;
};

}  // namespace tandem
