// Board: presence (SPEC PRES-*): updates and the tick that sends what changed, filtered
// per view where visibility applies (VIS-1, VIS-3).
#include "board/board_actor.hpp"

#include <algorithm>
#include <chrono>

namespace tandem {

namespace net = boost::asio;

void Board::do_presence(std::uint64_t conn_id, v1::Presence presence) {
  if (auto why = members_.update(conn_id, std::move(presence))) {
    if (auto* me = members_.find(conn_id))
      if (auto s = me->sub.lock()) s->deliver(wire::error_entry(v1::ERROR_CODE_BAD_PRESENCE, "presence refused: " + *why));
    return;
  }
  if (members_.changed()) arm_presence_tick();
}

// PRES-4: presence leaves once per tick, whatever the number of updates; the timer
// runs only while something changed, so an idle board has no timer.
void Board::arm_presence_tick() {
  if (presence_armed_) return;
  presence_armed_ = true;
  presence_timer_.expires_after(std::chrono::milliseconds(std::max(1, deps_.limits.presence_tick_ms)));
  presence_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    self->presence_armed_ = false;
    if (ec || self->retired_) return;
    self->presence_tick();
  });
}

void Board::presence_tick() {
  std::size_t handoffs = 0;
  if (visibility::may_filter(seq_.state(), anonymous_possible_)) {
    // Ids of objects a recipient may not see are stripped from what it gets (VIS-1, VIS-3).
    PresenceRelay::Views views;
    views.sensitive = [this](const PresenceRelay::Member& m) { return presence_sensitive(m.presence); };
    views.key = [this](const PresenceRelay::Member& to) {
      const visibility::Viewer v = viewer_of(to);
      return v.member_id + (v.facilitator ? "/f" : "/m");  // ids never hold a slash
    };
    views.filter = [this](const PresenceRelay::Member& from, const PresenceRelay::Member& to, const v1::Presence& p) {
      return presence_view(p, from, to);
    };
    handoffs = members_.tick(&views);
  } else {
    handoffs = members_.tick();
  }
  bump(deps_.metrics.presence_ticks);
  bump(deps_.metrics.presence_handoffs, handoffs);
}

bool Board::presence_sensitive(const v1::Presence& p) const {
  if (visibility::presence_sensitive(p, seq_.state())) return true;
  if (!p.has_drag()) return false;
  v1::Presence probe;  // the dragged object, judged as an edited one would be
  probe.set_editing(p.drag().object_id());
  return visibility::presence_sensitive(probe, seq_.state());
}

v1::Presence Board::presence_view(const v1::Presence& p, const PresenceRelay::Member& from,
                                  const PresenceRelay::Member& to) const {
  if (!presence_sensitive(p)) return p;
  v1::Presence out = visibility::filter_presence(p, seq_.state(), viewer_of(to), from.info.member_id());
  if (out.has_drag()) {
    v1::Presence probe;
    probe.set_editing(out.drag().object_id());
    if (visibility::filter_presence(probe, seq_.state(), viewer_of(to), from.info.member_id()).editing().empty())
      out.clear_drag();
  }
  return out;
}

}  // namespace tandem
