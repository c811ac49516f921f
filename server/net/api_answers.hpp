// Pieces of the API's answers shared by http_api.cpp and http_transfer.cpp (a board made
// by import or restore answers as API-1 does, protocol/SPEC.md EXPORT-5). Defined in
// http_api.cpp.
#pragma once

#include <boost/json.hpp>

#include <string>

#include "access/token.hpp"
#include "tandem/v1/sync.pb.h"

namespace tandem {

// The owner link every new board gets (API-1; import and restore too).
v1::InviteRecord new_owner_link();
// The token of an invite link.
std::string invite_token(const access::TokenCodec& tokens, const std::string& board_id, const v1::InviteRecord& r);
// A new member of `board_id` with `role`, redeemed from `invite_nonce` ("" = the board's
// creator): board_id, member_token, member_id, name, role. `member_id` "" = a new random one.
boost::json::object member_json(const access::TokenCodec& tokens, const std::string& board_id, v1::Role role,
                                const std::string& name, const std::string& invite_nonce,
                                const std::string& member_id = "");

}  // namespace tandem
