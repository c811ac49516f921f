#include "access/invite_book.hpp"

#include <algorithm>

namespace tandem::access {

bool InviteBook::load(const std::unordered_map<std::string, std::string>& records) {
  invites_.clear();
  for (const auto& [nonce, bytes] : records) {
    v1::InviteRecord r;
    if (!r.ParseFromString(bytes) || r.nonce() != nonce) return false;
    invites_.emplace(nonce, std::move(r));
  }
  return true;
}

const v1::InviteRecord* InviteBook::find(std::string_view nonce) const {
  auto it = invites_.find(nonce);
  return it == invites_.end() ? nullptr : &it->second;
}

bool InviteBook::admits(std::string_view invite_nonce) const {
  if (invite_nonce.empty()) return true;
  const v1::InviteRecord* r = find(invite_nonce);
  return r && !r->revoked();
}

const v1::InviteRecord& InviteBook::put(v1::InviteRecord record) {
  std::string nonce = record.nonce();
  return invites_[nonce] = std::move(record);
}

std::vector<const v1::InviteRecord*> InviteBook::list() const {
  std::vector<const v1::InviteRecord*> out;
  for (const auto& [nonce, r] : invites_) out.push_back(&r);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto* a, const auto* b) { return a->created_ms() < b->created_ms(); });
  return out;
}

}  // namespace tandem::access
