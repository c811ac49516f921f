// Authorizer: the one place that turns a presented token into who is asking
// (protocol/SPEC.md AUTH-*). Every permission check on the server starts from the
// claims it returns; the roles table (access/roles.hpp) and the board's invite book
// decide the rest. Thread-safe: immutable after construction.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "access/token.hpp"
#include "tandem/v1/sync.pb.h"

namespace tandem {

// Who may create boards (a setting, SPEC API-1).
enum class CreatePolicy { kAnyone, kAdmin };

class Authorizer {
 public:
  Authorizer(const access::Secret& secret, CreatePolicy policy) : tokens_(secret), policy_(policy) {}

  // The claims of a member token of `board_id`; nullopt refuses, whatever the reason.
  std::optional<v1::TokenClaims> member(std::string_view board_id, std::string_view token) const;
  // The claims of a member token of `board_id`, or for the admin token the claims of
  // the board's owner, member_id "admin", name "Administrator" (SPEC API-7); nullopt refuses.
  std::optional<v1::TokenClaims> member_or_admin(std::string_view board_id, std::string_view token) const;
  // Whether `token` is the admin token.
  bool is_admin(std::string_view token) const;
  // The claims of an invite token of `board_id`; nullopt refuses.
  std::optional<v1::TokenClaims> invite(std::string_view board_id, std::string_view token) const;
  // Whether the holder of `bearer` ("" = none) may create a board.
  bool may_create(std::string_view bearer) const;
  // The admin token (with --create-boards admin).
  std::string admin_token() const;

  const access::TokenCodec& tokens() const { return tokens_; }
  CreatePolicy policy() const { return policy_; }

 private:
  std::optional<v1::TokenClaims> of_kind(v1::TokenKind kind, std::string_view board_id, std::string_view token) const;
  access::TokenCodec tokens_;
  CreatePolicy policy_;
};

}  // namespace tandem
