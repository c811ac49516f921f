// PresenceRelay: the members connected to one board and their ephemeral presence
// (SPEC PRES-1..6, JOIN-5, JOIN-6).
//
// Holds each member connection (a weak Subscriber, the Member others see, its
// newest presence, whether it was welcomed) and checks presence against its limits.
// Presence is sent by tick (PRES-4): update() only keeps the newest presence and
// marks it changed; tick() encodes each changed presence once, joins them into one
// frame entry shared by every recipient (one per view where visibility applies) and
// hands it to each welcomed member once. Arrivals and departures are sent reliably.
// Owned by the board actor, touched on its strand only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

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
    bool has_presence = false;  // sent one since it joined
    // Tick state (tick() only): changed since the last tick, its encoded entry, and
    // where its entry is in the tick being built.
    bool dirty = false;
    std::uint64_t changed_at = 0;
    std::string entry;
    wire::Range own_delta, own_full;
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
  // Checks `p` (PRES-3); past a limit returns why and keeps nothing. Else keeps it as
  // the member's newest, to be sent by the next tick(). Presence of a member not yet
  // welcomed is ignored.
  std::optional<std::string> update(std::uint64_t conn_id, v1::Presence p);
  // Whether a presence changed since the last tick().
  bool changed() const { return !dirty_.empty(); }

  // Where presence may read differently per recipient (VIS-1, VIS-3).
  struct Views {
    std::function<bool(const Member& from)> sensitive;  // from's presence needs filter()
    std::function<std::string(const Member& to)> key;   // recipients with one key see the same
    Filter filter;
  };
  // One tick (PRES-4): every presence changed since the last tick, encoded once (once
  // per view of a sensitive one) into one shared entry, handed once to each welcomed
  // member that has something new in it (its own presence is skipped). Returns the
  // hand-offs.
  std::size_t tick(const Views* views = nullptr);
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
  // Builds the tick's bytes with `entry_of` each member's entry (sets own_* of each).
  template <typename EntryOf>
  std::shared_ptr<wire::PresenceBytes> build(const std::vector<Member*>& all, std::size_t changed, EntryOf&& entry_of);
  // Hands `bytes` to `to` unless nothing in it is new to `to`.
  bool hand_off(Member& to, const std::shared_ptr<wire::PresenceBytes>& bytes);

  PresenceLimits limits_;
  std::unordered_map<std::uint64_t, Member> members_;
  std::vector<std::uint64_t> dirty_;  // connections whose presence changed since the last tick
  std::uint64_t ticks_ = 0;
};

}  // namespace tandem
