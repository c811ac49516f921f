#include "facilitation.hpp"
#include "state_util.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

namespace tandem::model {

namespace {

using detail::reject;
using detail::text_value;

v1::Value flag_value(bool b) {
  v1::Value v;
  v.set_flag(b);
  return v;
}

bool flag(const Object& o, std::string_view name) {
  const v1::Value* v = o.get(name);
  return v && v->kind_case() == v1::Value::kFlag && v->flag();
}

bool votable(v1::ObjectType t) {
  return t == v1::OBJECT_TYPE_NOTE || t == v1::OBJECT_TYPE_GROUP || t == v1::OBJECT_TYPE_EXPERIMENT ||
         t == v1::OBJECT_TYPE_BACKLOG_ITEM;
}

// Inserts or replaces the entry of `member_id` in a list sorted by member id; count 0 removes it.
template <typename List, typename Entry>
void set_sorted(List* list, const Entry& e, bool keep) {
  auto it = std::lower_bound(list->begin(), list->end(), e.member_id(),
                             [](const Entry& x, const std::string& id) { return x.member_id() < id; });
  const bool found = it != list->end() && it->member_id() == e.member_id();
  if (!keep) {
    if (found) list->erase(it);
    return;
  }
  if (found) *it = e;
  else {
    const int pos = static_cast<int>(it - list->begin());
    *list->Add() = e;
    for (int i = list->size() - 1; i > pos; --i) list->SwapElements(i, i - 1);
  }
}

}  // namespace

namespace fac {

bool derived_op(const v1::Op& op) {
  switch (op.kind_case()) {
    case v1::Op::kPrivateCount:
    case v1::Op::kTurnout:
    case v1::Op::kRevealed:
    case v1::Op::kAuthors:
    case v1::Op::kVotingResult: return true;
    default: return false;
  }
}

std::optional<Rejection> set_agenda(v1::Facilitation& f, const v1::SetAgenda& a) {
  if (static_cast<std::size_t>(a.phases_size()) > kMaxPhases)
    return reject(v1::REJECT_CODE_BAD_FIELD, "an agenda holds at most " + std::to_string(kMaxPhases) + " phases");
  std::unordered_set<std::string_view> ids;
  for (const v1::Phase& p : a.phases()) {
    if (!valid_id(p.id())) return reject(v1::REJECT_CODE_BAD_FIELD, "bad phase id '" + p.id() + "'");
    if (!ids.insert(p.id()).second) return reject(v1::REJECT_CODE_BAD_FIELD, "phase '" + p.id() + "' given twice");
    if (p.name().size() > kMaxName)
      return reject(v1::REJECT_CODE_TOO_LONG, "phase name longer than " + std::to_string(kMaxName) + " bytes");
  }
  *f.mutable_agenda() = a.phases();
  if (!ids.count(f.phase_id())) f.clear_phase_id();
  return std::nullopt;
}

std::optional<Rejection> set_phase(v1::Facilitation& f, const v1::SetPhase& p) {
  if (!p.phase_id().empty() &&
      std::none_of(f.agenda().begin(), f.agenda().end(), [&](const v1::Phase& x) { return x.id() == p.phase_id(); }))
    return reject(v1::REJECT_CODE_UNKNOWN_OBJECT, "no phase '" + p.phase_id() + "' in the agenda");
  f.set_phase_id(p.phase_id());
  f.clear_ready();         // FAC-2
  f.set_names_shown(false);  // FAC-5
  return std::nullopt;
}

std::optional<Rejection> timer(v1::Facilitation& f, const v1::TimerControl& t, std::int64_t now) {
  v1::Timer tm = f.timer();
  switch (t.action()) {
    case v1::TIMER_ACTION_START:
      if (t.duration_ms() < kMinTimerMs || t.duration_ms() > kMaxTimerMs)
        return reject(v1::REJECT_CODE_BAD_FIELD, "a timer runs 1 s to 24 h");
      tm.set_duration_ms(t.duration_ms());
      tm.set_running(true);
      tm.set_ends_at_ms(now + t.duration_ms());
      tm.set_remaining_ms(0);
      break;
    case v1::TIMER_ACTION_PAUSE:
      if (!tm.running()) return std::nullopt;  // no-op
      tm.set_remaining_ms(std::max<std::int64_t>(0, tm.ends_at_ms() - now));
      tm.set_running(false);
      tm.set_ends_at_ms(0);
      break;
    case v1::TIMER_ACTION_RESUME:
      if (tm.running() || tm.duration_ms() == 0) return std::nullopt;  // no-op: running, or never started
      tm.set_running(true);
      tm.set_ends_at_ms(now + tm.remaining_ms());
      tm.set_remaining_ms(0);
      break;
    case v1::TIMER_ACTION_ADD: {
      if (t.duration_ms() < -kMaxTimerMs || t.duration_ms() > kMaxTimerMs)
        return reject(v1::REJECT_CODE_BAD_FIELD, "a timer adds at most 24 h");
      tm.set_duration_ms(std::clamp<std::int64_t>(tm.duration_ms() + t.duration_ms(), 0, 2 * kMaxTimerMs));
      if (tm.running()) {
        const std::int64_t left = std::max<std::int64_t>(0, tm.ends_at_ms() - now);
        tm.set_ends_at_ms(now + std::max<std::int64_t>(0, left + t.duration_ms()));
      } else {
        tm.set_remaining_ms(std::max<std::int64_t>(0, tm.remaining_ms() + t.duration_ms()));
      }
      break;
    }
    case v1::TIMER_ACTION_RESET:
      tm.set_running(false);
      tm.set_ends_at_ms(0);
      tm.set_remaining_ms(tm.duration_ms());
      break;
    default: return reject(v1::REJECT_CODE_BAD_OP, "unknown timer action");
  }
  if (tm.ByteSizeLong() == 0) f.clear_timer();  // one encoding of "no timer"
  else *f.mutable_timer() = tm;
  return std::nullopt;
}

void set_ready(v1::Facilitation& f, bool ready, const std::string& member_id, const std::string& name) {
  v1::ReadyMember m;
  m.set_member_id(member_id);
  m.set_name(name);
  set_sorted(f.mutable_ready(), m, ready);
}

std::optional<Rejection> set_private_writing(v1::Facilitation& f, const v1::SetPrivateWriting& p) {
  if (!v1::PrivateAudience_IsValid(p.audience())) return reject(v1::REJECT_CODE_BAD_FIELD, "unknown audience");
  f.set_private_writing(p.on());
  f.set_private_audience(p.on() ? p.audience() : v1::PRIVATE_AUDIENCE_UNSPECIFIED);
  if (!p.on()) f.clear_private_counts();  // FAC-4: the counts drop to none
  return std::nullopt;
}

void set_follow(v1::Facilitation& f, bool on, const std::string& client_id, const std::string& name) {
  f.set_follow_client_id(on ? client_id : "");
  f.set_follow_name(on ? name : "");
}

void set_options(v1::Facilitation& f, const v1::SetOptions& o) {
  if (o.has_dot_votes()) f.set_dot_votes_off(!o.dot_votes());
}

void set_private_count(v1::Facilitation& f, const v1::PrivateCount& c) {
  set_sorted(f.mutable_private_counts(), c, c.count() > 0);
}

void set_turnout(v1::Facilitation& f, const v1::Turnout& t) { set_sorted(f.mutable_turnout(), t, t.used() > 0); }

}  // namespace fac

// ---------- BoardState: facilitation ops ----------

void BoardState::save_facilitation() {
  if (!undo_fac_) undo_fac_ = fac_;
}

bool BoardState::phase_anonymous() const {
  if (fac_.phase_id().empty()) return false;
  for (const v1::Phase& p : fac_.agenda())
    if (p.id() == fac_.phase_id()) return p.anonymous();
  return false;
}

std::optional<Rejection> BoardState::facilitate(const v1::Op& op, const ApplyContext& ctx) {
  if (fac::derived_op(op) && !ctx.system && !ctx.derived)
    return reject(v1::REJECT_CODE_BAD_OP, "derived ops are the server's (FAC-9)");
  switch (op.kind_case()) {
    case v1::Op::kSetAgenda: {
      v1::Facilitation f = fac_;
      if (auto r = fac::set_agenda(f, op.set_agenda())) return r;
      save_facilitation();
      fac_ = std::move(f);
      return std::nullopt;
    }
    case v1::Op::kSetPhase: {
      v1::Facilitation f = fac_;
      if (auto r = fac::set_phase(f, op.set_phase())) return r;
      save_facilitation();
      fac_ = std::move(f);
      return std::nullopt;
    }
    case v1::Op::kTimer: {
      v1::Facilitation f = fac_;
      if (auto r = fac::timer(f, op.timer(), ctx.time_ms)) return r;
      save_facilitation();
      fac_ = std::move(f);
      return std::nullopt;
    }
    case v1::Op::kSetReady:
      save_facilitation();
      fac::set_ready(fac_, op.set_ready().ready(), ctx.voter(), ctx.author);
      return std::nullopt;
    case v1::Op::kSetPrivateWriting:
      if (!v1::PrivateAudience_IsValid(op.set_private_writing().audience()))
        return reject(v1::REJECT_CODE_BAD_FIELD, "unknown audience");
      save_facilitation();
      return fac::set_private_writing(fac_, op.set_private_writing());
    case v1::Op::kShowNames:
      save_facilitation();
      fac_.set_names_shown(op.show_names().on());
      return std::nullopt;
    case v1::Op::kOpenVoting: return open_voting(op.open_voting(), ctx);
    case v1::Op::kCloseVoting: return close_voting();
    case v1::Op::kSetLock: return set_lock(op.set_lock(), ctx);
    case v1::Op::kSetFollow:
      save_facilitation();
      fac::set_follow(fac_, op.set_follow().on(), ctx.client_id, ctx.author);
      return std::nullopt;
    case v1::Op::kSetOptions:
      save_facilitation();
      fac::set_options(fac_, op.set_options());
      return std::nullopt;
    case v1::Op::kPrivateCount:
      if (op.private_count().member_id().empty()) return reject(v1::REJECT_CODE_BAD_OP, "private count of nobody");
      save_facilitation();
      fac::set_private_count(fac_, op.private_count());
      return std::nullopt;
    case v1::Op::kTurnout:
      if (op.turnout().member_id().empty()) return reject(v1::REJECT_CODE_BAD_OP, "turnout of nobody");
      save_facilitation();
      fac::set_turnout(fac_, op.turnout());
      return std::nullopt;
    case v1::Op::kRevealed: return revealed(op.revealed());
    case v1::Op::kAuthors: return authors(op.authors());
    case v1::Op::kVotingResult:
      save_facilitation();
      *fac_.add_results() = op.voting_result();
      return std::nullopt;
    default: return reject(v1::REJECT_CODE_BAD_OP, "unknown op kind " + std::to_string(op.kind_case()));
  }
}

std::optional<Rejection> BoardState::set_lock(const v1::SetLock& l, const ApplyContext& ctx) {
  if (l.id().empty()) {
    save_facilitation();
    fac_.set_locked(l.locked());
    return std::nullopt;
  }
  Object* obj = nullptr;
  if (auto r = live_object(l.id(), &obj)) return r;
  if (!schema_.type(obj->type)->field("locked"))
    return reject(v1::REJECT_CODE_BAD_OP, "a " + schema_.type(obj->type)->name + " is not locked");
  touch(l.id());
  obj = &objects_.find(l.id())->second;
  if (l.locked()) obj->fields.insert_or_assign("locked", flag_value(true));
  else obj->fields.erase("locked");
  obj->updated_seq = ctx.seq;
  return std::nullopt;
}

std::optional<Rejection> BoardState::open_voting(const v1::OpenVoting& o, const ApplyContext& ctx) {
  if (fac_.has_voting()) return reject(v1::REJECT_CODE_NOT_ALLOWED, "a voting session is open");
  if (!valid_id(o.id())) return reject(v1::REJECT_CODE_BAD_FIELD, "bad voting session id '" + o.id() + "'");
  const bool used = (closing_ && closing_->voting().settings().id() == o.id()) ||
                    std::any_of(fac_.results().begin(), fac_.results().end(),
                                [&](const v1::VotingResult& r) { return r.id() == o.id(); });
  if (used) return reject(v1::REJECT_CODE_DUPLICATE_ID, "voting session " + o.id() + " was held before");
  if (o.title().size() > fac::kMaxName)
    return reject(v1::REJECT_CODE_TOO_LONG, "title longer than " + std::to_string(fac::kMaxName) + " bytes");
  if (o.max_per_object() < 1 || o.max_per_object() > o.votes_per_person() || o.votes_per_person() > 100)
    return reject(v1::REJECT_CODE_BAD_FIELD, "need 1 <= max_per_object <= votes_per_person <= 100");
  if (static_cast<std::size_t>(o.scope_size()) > fac::kMaxScope)
    return reject(v1::REJECT_CODE_TOO_LONG, "a scope holds at most " + std::to_string(fac::kMaxScope) + " ids");
  std::unordered_set<std::string_view> seen;
  for (const std::string& id : o.scope()) {
    Object* obj = nullptr;
    if (auto r = live_object(id, &obj)) return r;
    if (!votable(obj->type)) return reject(v1::REJECT_CODE_BAD_FIELD, "object " + id + " cannot be voted on");
    if (!seen.insert(id).second) return reject(v1::REJECT_CODE_BAD_FIELD, "object " + id + " given twice");
  }
  save_facilitation();
  v1::VotingSession* s = fac_.mutable_voting();
  *s->mutable_settings() = o;
  s->set_opened_ms(ctx.time_ms);
  fac_.clear_turnout();
  return std::nullopt;
}

std::optional<Rejection> BoardState::close_voting() {
  if (!fac_.has_voting()) return reject(v1::REJECT_CODE_NOT_ALLOWED, "no voting session is open");
  if (closing_) return reject(v1::REJECT_CODE_BAD_OP, "one close per change");
  save_facilitation();
  closing_ = fac_;  // the session and its turnout, for the VotingResult after it
  fac_.clear_voting();
  fac_.clear_turnout();
  return std::nullopt;
}

std::optional<Rejection> BoardState::revealed(const v1::Revealed& r) {
  for (const v1::ObjectState& os : r.objects()) {
    if (!valid_id(os.id()) || !schema_.type(os.type())) return reject(v1::REJECT_CODE_BAD_OP, "bad revealed object");
    auto it = objects_.find(os.id());
    const bool was_live = it != objects_.end() && !it->second.deleted;
    touch(os.id());
    objects_.insert_or_assign(os.id(), from_state(os));
    note_anonymous(objects_.find(os.id())->second);
    if (was_live && os.deleted()) --live_;
    if (!was_live && !os.deleted()) ++live_;
  }
  return std::nullopt;
}

std::optional<Rejection> BoardState::authors(const v1::Authors& a) {
  for (const v1::AuthorOf& x : a.authors()) {
    auto it = objects_.find(x.id());
    if (it == objects_.end() || it->second.deleted) continue;  // a replica that does not hold it
    const char* field = it->second.type == v1::OBJECT_TYPE_VOTE ? "voter" : "author";
    if (it->second.text(field) == x.author()) continue;
    touch(x.id());
    objects_.find(x.id())->second.fields.insert_or_assign(field, text_value(x.author()));
  }
  return std::nullopt;
}

// ---------- stamps (FAC-4, FAC-5, FAC-6) ----------

std::optional<Rejection> BoardState::check_private_link(const Object& obj, std::string_view target_id) const {
  if (target_id.empty()) return std::nullopt;
  const Object* t = find(target_id);
  if (!t) return std::nullopt;
  std::string_view tp = t->text("private_to");
  if (!tp.empty() && tp != obj.text("private_to"))
    return reject(v1::REJECT_CODE_NOT_ALLOWED, "object " + std::string(target_id) + " is private");
  return std::nullopt;
}

std::optional<Rejection> BoardState::stamp_create(const TypeSpec& spec, Object& obj, const ApplyContext& ctx) const {
  std::string priv;
  bool author_only = false;
  if (fac_.private_writing()) {
    priv = ctx.voter();
    author_only = fac_.private_audience() == v1::PRIVATE_AUDIENCE_AUTHOR;
  }
  for (const FieldSpec& fs : spec.fields) {  // a reference to a private object makes it private too
    if (fs.check != Check::kRef) continue;
    const Object* t = find(obj.text(fs.name));
    if (!t) continue;
    std::string_view tp = t->text("private_to");
    if (tp.empty()) continue;
    if (tp != ctx.voter() || (!priv.empty() && priv != tp))
      return reject(v1::REJECT_CODE_NOT_ALLOWED, "field '" + fs.name + "' names another member's private object");
    priv = std::string(tp);
    author_only = author_only || flag(*t, "private_author_only");
  }
  if (!priv.empty() && spec.field("private_to")) {
    obj.fields.insert_or_assign("private_to", text_value(priv));
    if (author_only) obj.fields.insert_or_assign("private_author_only", flag_value(true));
  }
  if (phase_anonymous() && spec.field("anonymous")) obj.fields.insert_or_assign("anonymous", flag_value(true));
  return std::nullopt;
}

std::optional<Rejection> BoardState::stamp_vote(Object& vote, const ApplyContext& ctx) const {
  const std::string_view target = vote.text("target");
  const Object* t = find(target);
  if (t && !t->text("private_to").empty())
    return reject(v1::REJECT_CODE_NOT_VOTABLE, "object " + std::string(target) + " is private");
  if (fac_.has_voting()) {
    const v1::OpenVoting& s = fac_.voting().settings();
    if (!s.scope().empty() && std::find(s.scope().begin(), s.scope().end(), target) == s.scope().end())
      return reject(v1::REJECT_CODE_NOT_VOTABLE, "object " + std::string(target) + " is not in the vote");
    std::uint32_t mine = 0, here = 0;
    for (const auto& [id, o] : objects_) {
      if (o.deleted || o.type != v1::OBJECT_TYPE_VOTE || o.text("session") != s.id() || o.text("voter") != ctx.voter())
        continue;
      ++mine;
      if (o.text("target") == target) ++here;
    }
    if (mine >= s.votes_per_person())
      return reject(v1::REJECT_CODE_OVER_BUDGET, "all " + std::to_string(s.votes_per_person()) + " votes used");
    if (here >= s.max_per_object())
      return reject(v1::REJECT_CODE_OVER_BUDGET, "at most " + std::to_string(s.max_per_object()) + " votes on one object");
    vote.fields.insert_or_assign("session", text_value(s.id()));
  } else if (fac_.dot_votes_off()) {
    return reject(v1::REJECT_CODE_NOT_VOTABLE, "no voting session is open");
  }
  if (phase_anonymous()) vote.fields.insert_or_assign("anonymous", flag_value(true));
  return std::nullopt;
}

// ---------- derived ops (FAC-9) ----------

std::vector<v1::Op> BoardState::derive(const google::protobuf::RepeatedPtrField<v1::Op>& ops,
                                       const ApplyContext& ctx) const {
  std::vector<v1::Op> out;
  bool creates = false, votes = false, private_writing_op = false, show_names = false;
  for (const v1::Op& op : ops) {
    switch (op.kind_case()) {
      case v1::Op::kCreate:
      case v1::Op::kDelete:
      case v1::Op::kRestore: creates = true; break;
      case v1::Op::kAddVote:
      case v1::Op::kRemoveVote: votes = true; break;
      case v1::Op::kSetPrivateWriting: private_writing_op = true; break;
      case v1::Op::kShowNames: show_names = show_names || op.show_names().on(); break;
      default: break;
    }
  }
  // The name of a member for a count: the sender's own, else the one listed before.
  auto name_of = [&](const std::string& member, const auto& list) -> std::string {
    if (member == ctx.voter()) return ctx.author;
    for (const auto& e : list)
      if (e.member_id() == member) return e.name();
    return member;
  };
  // PrivateCount: members whose private objects this change created or deleted (FAC-4).
  if (creates && fac_.private_writing()) {
    std::set<std::string> members;
    for (const v1::Op& op : ops) {
      const std::string* id = op.has_create()    ? &op.create().id()
                              : op.has_delete_() ? &op.delete_().id()
                              : op.has_restore() ? &op.restore().id()
                                                 : nullptr;
      if (!id) continue;
      if (const Object* o = find(*id); o && !o->text("private_to").empty()) members.emplace(o->text("private_to"));
    }
    for (const std::string& m : members) {
      std::uint32_t n = 0;
      for (const auto& [id, o] : objects_)
        if (!o.deleted && o.text("private_to") == m) ++n;
      v1::Op op;
      auto* c = op.mutable_private_count();
      c->set_member_id(m);
      c->set_name(name_of(m, fac_.private_counts()));
      c->set_count(n);
      out.push_back(std::move(op));
    }
  }
  // Turnout: voters whose session votes this change added or removed (FAC-6).
  if (votes && fac_.has_voting()) {
    const std::string& sid = fac_.voting().settings().id();
    std::set<std::string> members;
    for (const v1::Op& op : ops) {
      const std::string* id = op.has_add_vote() ? &op.add_vote().id()
                              : op.has_remove_vote() ? &op.remove_vote().id() : nullptr;
      if (!id) continue;
      if (const Object* o = find(*id); o && o->text("session") == sid) members.emplace(o->text("voter"));
    }
    for (const std::string& m : members) {
      std::uint32_t n = 0;
      for (const auto& [id, o] : objects_)
        if (!o.deleted && o.type == v1::OBJECT_TYPE_VOTE && o.text("session") == sid && o.text("voter") == m) ++n;
      v1::Op op;
      auto* t = op.mutable_turnout();
      t->set_member_id(m);
      t->set_name(name_of(m, fac_.turnout()));
      t->set_used(n);
      out.push_back(std::move(op));
    }
  }
  // Revealed: private writing is off and objects are still private (FAC-4).
  if (private_writing_op && !fac_.private_writing()) {
    v1::Op op;
    for (const auto& [id, o] : objects_) {
      if (o.text("private_to").empty()) continue;
      v1::ObjectState os = object_state(id, o);
      auto* fields = os.mutable_fields();
      for (int i = fields->size() - 1; i >= 0; --i)
        if (fields->Get(i).name() == "private_to" || fields->Get(i).name() == "private_author_only")
          fields->DeleteSubrange(i, 1);
      *op.mutable_revealed()->add_objects() = std::move(os);
    }
    if (op.has_revealed()) out.push_back(std::move(op));
  }
  // Authors: names shown; who made each anonymous object (FAC-5).
  if (show_names && fac_.names_shown()) {
    v1::Op op;
    op.mutable_authors();
    for (const auto& [id, o] : objects_) {
      if (o.deleted || !flag(o, "anonymous")) continue;
      std::string_view who = o.type == v1::OBJECT_TYPE_VOTE ? o.text("voter") : o.text("author");
      if (who.empty()) continue;
      auto* a = op.mutable_authors()->add_authors();
      a->set_id(id);
      a->set_author(std::string(who));
    }
    out.push_back(std::move(op));
  }
  // VotingResult: the session this change closed (FAC-6).
  if (closing_) {
    const v1::OpenVoting& s = closing_->voting().settings();
    std::map<std::string, std::pair<std::uint32_t, std::set<std::string>>> by_target;  // target -> (count, members)
    std::set<std::string> voters;
    for (const auto& [id, o] : objects_) {
      if (o.deleted || o.type != v1::OBJECT_TYPE_VOTE || o.text("session") != s.id()) continue;
      auto& t = by_target[std::string(o.text("target"))];
      ++t.first;
      t.second.emplace(o.text("voter"));
      voters.emplace(o.text("voter"));
    }
    std::vector<std::pair<std::string, std::pair<std::uint32_t, std::set<std::string>>>> list(by_target.begin(),
                                                                                             by_target.end());
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
    v1::Op op;
    auto* r = op.mutable_voting_result();
    r->set_id(s.id());
    r->set_title(s.title());
    r->set_anonymous(s.anonymous());
    r->set_votes_per_person(s.votes_per_person());
    r->set_max_per_object(s.max_per_object());
    r->set_closed_ms(ctx.time_ms);
    r->set_voters(static_cast<std::uint32_t>(voters.size()));
    for (const auto& [target, tally] : list) {
      auto* t = r->add_tallies();
      t->set_target(target);
      t->set_count(tally.first);
      if (s.anonymous()) continue;
      std::vector<std::string> names;
      for (const std::string& m : tally.second) {
        std::string n = m == ctx.voter() ? ctx.author : m;  // a vote of this change has no turnout yet
        for (const v1::Turnout& e : closing_->turnout())
          if (e.member_id() == m) n = e.name();
        names.push_back(std::move(n));
      }
      std::sort(names.begin(), names.end());
      for (auto& n : names) t->add_voters(std::move(n));
    }
    out.push_back(std::move(op));
  }
  return out;
}

}  // namespace tandem::model
