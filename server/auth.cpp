#include "auth.hpp"

namespace tandem {

std::optional<v1::TokenClaims> Authorizer::of_kind(v1::TokenKind kind, std::string_view board_id,
                                                   std::string_view token) const {
  auto claims = tokens_.verify(token);
  if (!claims || claims->kind() != kind || claims->board_id() != board_id) return std::nullopt;
  if (claims->role() < v1::ROLE_VIEWER || claims->role() > v1::ROLE_OWNER) return std::nullopt;
  return claims;
}

std::optional<v1::TokenClaims> Authorizer::member(std::string_view board_id, std::string_view token) const {
  return of_kind(v1::TOKEN_KIND_MEMBER, board_id, token);
}

std::optional<v1::TokenClaims> Authorizer::member_or_admin(std::string_view board_id, std::string_view token) const {
  if (auto claims = member(board_id, token)) return claims;
  if (!is_admin(token)) return std::nullopt;
  v1::TokenClaims c;
  c.set_kind(v1::TOKEN_KIND_MEMBER);
  c.set_board_id(std::string(board_id));
  c.set_role(v1::ROLE_OWNER);
  c.set_member_id("admin");
  c.set_name("Administrator");
  return c;
}

bool Authorizer::is_admin(std::string_view token) const {
  if (token.empty()) return false;
  auto claims = tokens_.verify(token);
  return claims && claims->kind() == v1::TOKEN_KIND_ADMIN;
}

std::optional<v1::TokenClaims> Authorizer::invite(std::string_view board_id, std::string_view token) const {
  return of_kind(v1::TOKEN_KIND_INVITE, board_id, token);
}

bool Authorizer::may_create(std::string_view bearer) const {
  return policy_ == CreatePolicy::kAnyone || is_admin(bearer);
}

std::string Authorizer::admin_token() const {
  v1::TokenClaims c;
  c.set_kind(v1::TOKEN_KIND_ADMIN);
  return tokens_.sign(c);
}

}  // namespace tandem
