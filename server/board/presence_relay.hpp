// PresenceRelay: the members connected to one board and their ephemeral presence
// (SPEC PRES-1..3, JOIN-5, JOIN-6).
//
// Holds each member connection (a weak Subscriber, the Member others see, its
// newest presence, whether it was welcomed), checks presence against its limits
// and forwards it to the other welcomed members; arrivals and departures are sent
// reliably. Owned by the board actor, touched on its strand only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "board/subscriber.hpp"
#include "tandem/v1/sync.pb.h"

namespace tandem {

struct PresenceLimits {
  std::size_t max_selection = 200;  // ids in one selection
};

class PresenceRelay {
 public:
  struct Member {
    std::weak_ptr<Subscriber> sub;
    v1::Member info;           // as the others see it
    std::string invite_nonce;  // the invite the member's token came from ("" = creator)
    v1::Presence presence;
    bool welcomed = false;
  };

  // A member's presence as one recipient may see it (visibility.hpp, VIS-1, VIS-3).
  using Filter = std::function<v1::Presence(const Member& from, const Member& to, const v1::Presence& p)>;

  explicit PresenceRelay(PresenceLimits limits = {}) : limits_(limits) {}

  Member* find(std::uint64_t conn_id);
  // The connection of `client_id` other than `except`, if one is open.
  std::optional<std::uint64_t> find_client(const std::string& client_id, std::uint64_t except) const;
  void add(std::uint64_t conn_id, Member m) { members_[conn_id] = std::move(m); }
  // Sends the others the arrival of `conn_id` (reliable) and marks it welcomed.
  void welcomed(std::uint64_t conn_id);
  // Everyone welcomed but `conn_id`, with their presence (the Welcome's `present`),
  // through `filter` when set.
  void present(std::uint64_t conn_id, v1::Welcome* w, const Filter& filter = {}) const;
  // Checks `p` (PRES-3); past a limit returns why and forwards nothing. With a
  // `filter`, each recipient gets its view (one encoding per distinct view).
  std::optional<std::string> relay(std::uint64_t conn_id, v1::Presence p, const Filter& filter = {});
  // Removes `conn_id`; tells the others it left if it had been welcomed.
  void remove(std::uint64_t conn_id);
  // Closes and removes every member `pred` selects (all when null).
  void close_where(const std::function<bool(const Member&)>& pred, std::uint16_t code, const std::string& reason);

  bool empty() const { return members_.empty(); }
  template <typename F>
  void for_each_welcomed_member(F&& f) {
    for (auto& [cid, m] : members_)
      if (m.welcomed)
        if (auto s = m.sub.lock()) f(cid, static_cast<const Member&>(m), *s);
  }
  template <typename F>
  void for_each_welcomed(F&& f) {
    for (auto& [cid, m] : members_)
      if (m.welcomed)
        if (auto s = m.sub.lock()) f(cid, *s);
  }

 private:
  PresenceLimits limits_;
  std::unordered_map<std::uint64_t, Member> members_;
};

}  // namespace tandem
