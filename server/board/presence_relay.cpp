#include "board/presence_relay.hpp"

#include <cmath>

#include "model/board_state.hpp"
#include "model/order_key.hpp"

namespace tandem {

namespace {

bool finite(double v) { return std::isfinite(v); }

std::optional<std::string> check(const v1::Presence& p, const PresenceLimits& limits) {
  if (static_cast<std::size_t>(p.selection_size()) > limits.max_selection)
    return "a selection holds at most " + std::to_string(limits.max_selection) + " ids";
  for (const auto& id : p.selection())
    if (!model::valid_id(id)) return std::string("a selection holds object ids");
  if (!p.editing().empty() && !model::valid_id(p.editing())) return std::string("editing is an object id");
  if (!finite(p.cursor().x()) || !finite(p.cursor().y())) return std::string("cursor must be finite");
  const auto& v = p.viewport();
  if (!finite(v.x()) || !finite(v.y()) || !finite(v.zoom()) || v.zoom() < 0 || v.zoom() > 100)
    return std::string("viewport must be finite, zoom in (0, 100]");
  if (p.has_drag()) {  // PRES-6
    const v1::Drag& d = p.drag();
    if (!model::valid_id(d.object_id())) return std::string("a drag names an object id");
    if (!finite(d.x()) || !finite(d.y())) return std::string("a drag's position must be finite");
    if (!d.order_key().empty() && !model::order_key::valid(d.order_key())) return std::string("a drag's order key is not valid");
    if (d.status().size() > 64) return std::string("a drag's status is at most 64 bytes");
  }
  return std::nullopt;
}

// The frame entry of ServerMessage{presence{member, presence}}.
std::string encode(const v1::Member& info, const v1::Presence& p) {
  v1::ServerMessage m;
  *m.mutable_presence()->mutable_member() = info;
  *m.mutable_presence()->mutable_presence() = p;
  std::string out;
  wire::append_len_field(&out, wire::kFrameMessagesField, m.SerializeAsString());
  return out;
}

}  // namespace

PresenceRelay::Member* PresenceRelay::find(std::uint64_t conn_id) {
  auto it = members_.find(conn_id);
  return it == members_.end() ? nullptr : &it->second;
}

std::optional<std::uint64_t> PresenceRelay::find_client(const std::string& client_id, std::uint64_t except) const {
  for (const auto& [cid, m] : members_)
    if (cid != except && m.info.client_id() == client_id) return cid;
  return std::nullopt;
}

void PresenceRelay::welcomed(std::uint64_t conn_id) {
  Member* me = find(conn_id);
  if (!me) return;
  me->welcomed = true;
  v1::ServerMessage m;
  *m.mutable_presence()->mutable_member() = me->info;
  auto e = wire::entry(m);
  for_each_welcomed([&](std::uint64_t cid, Subscriber& s) {
    if (cid != conn_id) s.deliver(e);
  });
}

void PresenceRelay::present(std::uint64_t conn_id, v1::Welcome* w, const Filter& filter) const {
  auto me = members_.find(conn_id);
  for (const auto& [cid, other] : members_) {
    if (cid == conn_id || !other.welcomed) continue;
    v1::MemberPresence* mp = w->add_present();
    *mp->mutable_member() = other.info;
    if (filter && me != members_.end()) *mp->mutable_presence() = filter(other, me->second, other.presence);
    else *mp->mutable_presence() = other.presence;
  }
}

std::optional<std::string> PresenceRelay::update(std::uint64_t conn_id, v1::Presence p) {
  Member* me = find(conn_id);
  if (!me || !me->welcomed) return std::nullopt;
  if (auto why = check(p, limits_)) return why;
  me->presence = std::move(p);
  me->has_presence = true;
  if (!me->dirty) {
    me->dirty = true;
    dirty_.push_back(conn_id);
  }
  return std::nullopt;
}

template <typename EntryOf>
std::shared_ptr<wire::PresenceBytes> PresenceRelay::build(const std::vector<Member*>& all, std::size_t changed,
                                                          EntryOf&& entry_of) {
  auto b = std::make_shared<wire::PresenceBytes>();
  b->full_is_delta = changed == all.size();
  for (auto& [cid, m] : members_) m.own_delta = m.own_full = {};
  for (Member* m : all) {
    const std::string& e = entry_of(*m);
    if (m->changed_at == ticks_) {
      m->own_delta = {b->delta.size(), b->delta.size() + e.size()};
      b->delta.append(e);
      ++b->delta_messages;
    }
    if (!b->full_is_delta) {
      m->own_full = {b->full.size(), b->full.size() + e.size()};
      b->full.append(e);
      ++b->full_messages;
    }
  }
  if (b->full_is_delta) b->full_messages = b->delta_messages;
  return b;
}

bool PresenceRelay::hand_off(Member& to, const std::shared_ptr<wire::PresenceBytes>& bytes) {
  // Nothing new for `to` (only its own presence changed): no hand-off this tick.
  if (bytes->delta_messages - (to.own_delta.empty() ? 0 : 1) == 0) return false;
  auto s = to.sub.lock();
  if (!s) return false;
  s->deliver_presence(wire::PresenceTick{bytes, to.own_delta, to.own_full});
  return true;
}

std::size_t PresenceRelay::tick(const Views* views) {
  ++ticks_;
  std::size_t changed = 0;
  for (std::uint64_t cid : dirty_) {
    Member* m = find(cid);
    if (!m || !m->dirty) continue;  // left since
    m->dirty = false;
    m->changed_at = ticks_;
    m->entry = encode(m->info, m->presence);  // once per change, shared by every view that may see it whole
    ++changed;
  }
  dirty_.clear();
  if (!changed) return 0;
  // Everyone's newest presence, for a connection that missed a tick (PRES-5).
  std::vector<Member*> all;
  all.reserve(members_.size());
  for (auto& [cid, m] : members_)
    if (m.welcomed && m.has_presence) all.push_back(&m);

  std::vector<Member*> sensitive;
  if (views)
    for (Member* m : all)
      if (views->sensitive(*m)) sensitive.push_back(m);

  std::size_t handoffs = 0;
  if (sensitive.empty()) {
    auto bytes = build(all, changed, [](const Member& m) -> const std::string& { return m.entry; });
    for (auto& [cid, to] : members_)
      if (to.welcomed) handoffs += hand_off(to, bytes);
    return handoffs;
  }
  // VIS-1, VIS-3: recipients grouped by view; the sensitive presences are encoded once
  // per view, the others shared as they are.
  std::unordered_map<std::string, std::vector<Member*>> groups;
  for (auto& [cid, to] : members_)
    if (to.welcomed) groups[views->key(to)].push_back(&to);
  for (auto& [key, group] : groups) {
    const Member& rep = *group.front();
    std::unordered_map<const Member*, std::string> filtered;
    for (Member* from : sensitive) filtered[from] = encode(from->info, views->filter(*from, rep, from->presence));
    auto bytes = build(all, changed, [&](const Member& m) -> const std::string& {
      auto it = filtered.find(&m);
      return it == filtered.end() ? m.entry : it->second;
    });
    for (Member* to : group) handoffs += hand_off(*to, bytes);
  }
  return handoffs;
}

void PresenceRelay::remove(std::uint64_t conn_id) {
  auto it = members_.find(conn_id);
  if (it == members_.end()) return;
  const bool was_welcomed = it->second.welcomed;
  const std::string client_id = it->second.info.client_id();
  members_.erase(it);
  if (!was_welcomed) return;
  v1::ServerMessage m;
  m.mutable_member_left()->set_client_id(client_id);
  auto e = wire::entry(m);
  for_each_welcomed([&](std::uint64_t, Subscriber& s) { s.deliver_left(client_id, e); });
}

void PresenceRelay::close_where(const std::function<bool(const Member&)>& pred, std::uint16_t code,
                                const std::string& reason) {
  std::vector<std::uint64_t> gone;
  for (auto& [cid, m] : members_) {
    if (pred && !pred(m)) continue;
    if (auto s = m.sub.lock()) s->close(code, reason);
    gone.push_back(cid);
  }
  for (auto cid : gone) remove(cid);
}

}  // namespace tandem
