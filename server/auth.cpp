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

std::optional<v1::TokenClaims> Authorizer::invite(std::string_view board_id, std::string_view token) const {
  return of_kind(v1::TOKEN_KIND_INVITE, board_id, token);
}

bool Authorizer::may_create(std::string_view bearer) const {
  if (policy_ == CreatePolicy::kAnyone) return true;
  auto claims = tokens_.verify(bearer);
  return claims && claims->kind() == v1::TOKEN_KIND_ADMIN;
}

std::string Authorizer::admin_token() const {
  v1::TokenClaims c;
  c.set_kind(v1::TOKEN_KIND_ADMIN);
  return tokens_.sign(c);
}

}  // namespace tandem
