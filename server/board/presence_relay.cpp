#include "board/presence_relay.hpp"

#include <cmath>

#include "model/board_state.hpp"

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
  return std::nullopt;
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

std::optional<std::string> PresenceRelay::relay(std::uint64_t conn_id, v1::Presence p, const Filter& filter) {
  Member* me = find(conn_id);
  if (!me || !me->welcomed) return std::nullopt;
  if (auto why = check(p, limits_)) return why;
  me->presence = std::move(p);
  v1::ServerMessage m;
  *m.mutable_presence()->mutable_member() = me->info;
  *m.mutable_presence()->mutable_presence() = me->presence;
  const std::string& from = me->info.client_id();
  if (filter) {
    // Per recipient; recipients with equal views share one encoding.
    std::unordered_map<std::string, wire::SharedBytes> views;
    for (auto& [cid, to] : members_) {
      if (cid == conn_id || !to.welcomed) continue;
      auto s = to.sub.lock();
      if (!s) continue;
      *m.mutable_presence()->mutable_presence() = filter(*me, to, me->presence);
      std::string bytes = m.SerializeAsString();
      auto it = views.find(bytes);
      if (it == views.end()) it = views.emplace(bytes, wire::entry(m)).first;
      s->deliver_presence(from, it->second);
    }
    return std::nullopt;
  }
  auto e = wire::entry(m);
  for_each_welcomed([&](std::uint64_t cid, Subscriber& s) {
    if (cid != conn_id) s.deliver_presence(from, e);
  });
  return std::nullopt;
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
