#include "board/visibility.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace tandem::visibility {

namespace {

// The reference fields of the schema (Check::kRef in protocol/schema.json): an op
// setting one to an object a viewer may not see names that object.
constexpr std::array<std::string_view, 4> kRefFields = {"parent", "target", "from", "to"};

bool is_ref_field(std::string_view name) {
  return std::find(kRefFields.begin(), kRefFields.end(), name) != kRefFields.end();
}

bool flag_of(const v1::Value* v) { return v && v->kind_case() == v1::Value::kFlag && v->flag(); }
bool flag(const model::Object& o, std::string_view name) { return flag_of(o.get(name)); }

bool names_hidden(const model::BoardState& s) { return !s.facilitation().names_shown(); }

// Some recipient may not see it (VIS-1, VIS-2).
bool restricted(const model::Object& o) {
  return !o.text("private_to").empty() || (o.type == v1::OBJECT_TYPE_VOTE && !o.text("session").empty());
}

bool sees(const model::Object& o, const Viewer& v) {
  std::string_view owner = o.text("private_to");
  if (!owner.empty() && owner != v.member_id && (!v.facilitator || flag(o, "private_author_only"))) return false;
  if (o.type == v1::OBJECT_TYPE_VOTE && !o.text("session").empty() && o.text("voter") != v.member_id) return false;
  return true;
}

bool sees_id(const model::BoardState& s, std::string_view id, const Viewer& v) {
  const model::Object* o = s.find(id);
  return !o || sees(*o, v);
}

// Calls f(id) for every object id `op` names: its own, and the references it sets.
template <typename F>
void for_each_id(const v1::Op& op, F&& f) {
  auto refs = [&](const google::protobuf::RepeatedPtrField<v1::Field>& fields) {
    for (const v1::Field& fld : fields)
      if (is_ref_field(fld.name()) && fld.value().kind_case() == v1::Value::kText && !fld.value().text().empty())
        f(fld.value().text());
  };
  switch (op.kind_case()) {
    case v1::Op::kCreate:
      f(op.create().id());
      refs(op.create().fields());
      break;
    case v1::Op::kUpdate:
      f(op.update().id());
      refs(op.update().fields());
      break;
    case v1::Op::kDelete:
      f(op.delete_().id());
      break;
    case v1::Op::kRestore:  // MODEL-9: filtered like a create (its id and references)
      f(op.restore().id());
      refs(op.restore().fields());
      break;
    case v1::Op::kMove:
      f(op.move().id());
      if (op.move().has_parent() && !op.move().parent().empty()) f(op.move().parent());
      break;
    case v1::Op::kAddVote:
      f(op.add_vote().id());
      f(op.add_vote().target());
      break;
    case v1::Op::kRemoveVote:
      f(op.remove_vote().id());
      break;
    case v1::Op::kPromote:
      f(op.promote().note_id());
      break;
    case v1::Op::kRebalance:
      for (const auto& k : op.rebalance().keys()) f(k.id());
      break;
    case v1::Op::kOpenVoting:
      for (const auto& id : op.open_voting().scope()) f(id);
      break;
    case v1::Op::kAuthors:
      for (const auto& a : op.authors().authors()) f(a.id());
      break;
    case v1::Op::kSetLock:
      if (!op.set_lock().id().empty()) f(op.set_lock().id());
      break;
    default:
      break;
  }
}

// A field of an ObjectState, by name (fields are few; a linear scan).
const v1::Value* state_field(const v1::ObjectState& o, std::string_view name) {
  for (const v1::Field& f : o.fields())
    if (f.name() == name) return &f.value();
  return nullptr;
}
std::string_view state_text(const v1::ObjectState& o, std::string_view name) {
  const v1::Value* v = state_field(o, name);
  return v && v->kind_case() == v1::Value::kText ? std::string_view(v->text()) : std::string_view();
}

bool state_sees(const v1::ObjectState& o, const Viewer& v) {
  std::string_view owner = state_text(o, "private_to");
  if (!owner.empty() && owner != v.member_id && (!v.facilitator || flag_of(state_field(o, "private_author_only"))))
    return false;
  if (o.type() == v1::OBJECT_TYPE_VOTE && !state_text(o, "session").empty() && state_text(o, "voter") != v.member_id)
    return false;
  return true;
}

// Strips who made an anonymous object (VIS-3); a voter keeps their own votes.
void strip_names(v1::ObjectState* o, const Viewer& v) {
  if (!flag_of(state_field(*o, "anonymous"))) return;
  const bool own_vote = o->type() == v1::OBJECT_TYPE_VOTE && state_text(*o, "voter") == v.member_id;
  if (own_vote) return;
  auto* fields = o->mutable_fields();
  fields->erase(std::remove_if(fields->begin(), fields->end(),
                               [](const v1::Field& f) { return f.name() == "author" || f.name() == "voter"; }),
                fields->end());
}

template <typename T, typename Keep>
void keep_if(google::protobuf::RepeatedPtrField<T>* r, Keep&& keep) {
  r->erase(std::remove_if(r->begin(), r->end(), [&](const T& t) { return !keep(t); }), r->end());
}

}  // namespace

bool is_facilitator(v1::Role role) { return role == v1::ROLE_FACILITATOR || role == v1::ROLE_OWNER; }

bool agenda_anonymous(const model::BoardState& state) {
  for (const v1::Phase& p : state.facilitation().agenda())
    if (p.anonymous()) return true;
  return false;
}

bool may_filter(const model::BoardState& state, bool anonymous_possible) {
  const v1::Facilitation& f = state.facilitation();
  return f.private_writing() || f.has_voting() || f.results_size() > 0 || f.private_counts_size() > 0 ||
         f.turnout_size() > 0 || (anonymous_possible && !f.names_shown());
}

Classification classify(const v1::SequencedChange& change, const model::BoardState& state) {
  Classification c;
  const bool hidden = names_hidden(state);
  for (const v1::Op& op : change.ops()) {
    switch (op.kind_case()) {
      case v1::Op::kTurnout:
      case v1::Op::kAuthors:
        c.now = true;
        continue;
      case v1::Op::kRevealed:
        c.anonymous = true;
        if (hidden) c.now = true;
        continue;
      default:
        break;
    }
    for_each_id(op, [&](const std::string& id) {
      const model::Object* o = state.find(id);
      if (!o) return;
      if (restricted(*o)) c.now = true;
      if (flag(*o, "anonymous")) {
        c.anonymous = true;
        if (hidden) c.now = true;
      }
    });
  }
  return c;
}

std::string view_key(const v1::SequencedChange& change, const model::BoardState& state, const Viewer& v,
                     const std::string& sender_member) {
  // Members concerned by the change see their own view; the rest see by role only.
  bool concerned = !v.member_id.empty() && v.member_id == sender_member;
  for (int i = 0; i < change.ops_size() && !concerned; ++i)
    for_each_id(change.ops(i), [&](const std::string& id) {
      if (concerned) return;
      const model::Object* o = state.find(id);
      if (!o) return;
      if (o->text("private_to") == v.member_id) concerned = true;
      if (o->type == v1::OBJECT_TYPE_VOTE && o->text("voter") == v.member_id) concerned = true;
    });
  std::string key = v.facilitator ? "f" : "-";
  if (concerned) key += v.member_id;
  return key;
}

v1::SequencedChange view(const v1::SequencedChange& change, const model::BoardState& state, const Viewer& v,
                         const std::string& sender_member) {
  v1::SequencedChange out;
  out.set_seq(change.seq());
  out.set_author(change.author());
  out.set_client_id(change.client_id());
  out.set_client_seq(change.client_seq());
  out.set_server_time_ms(change.server_time_ms());
  out.set_system(change.system());
  out.set_author_id(change.author_id());
  const bool hidden = names_hidden(state);
  const bool own = !v.member_id.empty() && v.member_id == sender_member;
  bool dropped = false, anonymous = false, private_seen = false;
  for (const v1::Op& op : change.ops()) {
    switch (op.kind_case()) {
      case v1::Op::kTurnout:  // VIS-4
        if (v.facilitator) *out.add_ops() = op;
        else dropped = true;
        continue;
      case v1::Op::kRebalance: {  // VIS-1: keys of objects it may not see
        v1::Op* o = out.add_ops();
        *o = op;
        keep_if(o->mutable_rebalance()->mutable_keys(),
                [&](const v1::KeyAssignment& k) { return sees_id(state, k.id(), v); });
        continue;
      }
      case v1::Op::kOpenVoting: {
        v1::Op* o = out.add_ops();
        *o = op;
        keep_if(o->mutable_open_voting()->mutable_scope(), [&](const std::string& id) { return sees_id(state, id, v); });
        continue;
      }
      case v1::Op::kAuthors: {  // VIS-3: only of objects it may see
        v1::Op* o = out.add_ops();
        *o = op;
        keep_if(o->mutable_authors()->mutable_authors(),
                [&](const v1::AuthorOf& a) { return sees_id(state, a.id(), v); });
        continue;
      }
      case v1::Op::kRevealed: {  // whole states: names still hidden where they are
        v1::Op* o = out.add_ops();
        *o = op;
        auto* objs = o->mutable_revealed()->mutable_objects();
        keep_if(objs, [&](const v1::ObjectState& s) { return sees_id(state, s.id(), v); });
        if (hidden)
          for (v1::ObjectState& s : *objs) strip_names(&s, v);
        continue;
      }
      default:
        break;
    }
    bool visible = true;
    for_each_id(op, [&](const std::string& id) {
      const model::Object* o = state.find(id);
      if (!o) return;
      if (!sees(*o, v)) visible = false;
      else if (!o->text("private_to").empty()) private_seen = true;
      if (flag(*o, "anonymous")) anonymous = true;
    });
    if (visible) *out.add_ops() = op;
    else dropped = true;
  }
  // Who did it: not for hidden ops (an empty change names nobody), nor for
  // anonymous objects while names are hidden (VIS-3); the sender's member keeps it.
  // Who may see a private object knows its member from private_to anyway: the member
  // id stays for them, so their replica stamps it (FAC-4); the name does not.
  if (!own && (dropped || (anonymous && hidden))) {
    out.clear_author();
    if (dropped || !private_seen) out.clear_author_id();
    out.clear_client_id();
  }
  return out;
}

void filter_snapshot(v1::BoardSnapshot* snapshot, const Viewer& v) {
  auto* objects = snapshot->mutable_objects();
  keep_if(objects, [&](const v1::ObjectState& o) { return state_sees(o, v); });
  v1::Facilitation* f = snapshot->mutable_facilitation();
  if (!f->names_shown())
    for (v1::ObjectState& o : *objects) strip_names(&o, v);
  // Scope ids of objects it may not see: looked up among what it keeps (sorted by id).
  filter_facilitation(f, v, [&](const std::string& id) {
    auto it = std::lower_bound(objects->begin(), objects->end(), id,
                               [](const v1::ObjectState& o, const std::string& k) { return o.id() < k; });
    return it != objects->end() && it->id() == id;
  });
}

bool object_sensitive(const model::Object& o, const model::BoardState& state) {
  return restricted(o) || (names_hidden(state) && flag(o, "anonymous"));
}

bool snapshot_object(v1::ObjectState* o, const Viewer& v, bool names_shown) {
  if (!state_sees(*o, v)) return false;
  if (!names_shown) strip_names(o, v);
  return true;
}

void filter_facilitation(v1::Facilitation* f, const Viewer& v, const std::function<bool(const std::string&)>& sees) {
  if (!v.facilitator) f->clear_turnout();
  if (!f->has_voting() || f->voting().settings().scope_size() == 0) return;
  std::vector<std::string> hidden_ids;
  for (const std::string& id : f->voting().settings().scope())
    if (!sees(id)) hidden_ids.push_back(id);
  if (!hidden_ids.empty())
    keep_if(f->mutable_voting()->mutable_settings()->mutable_scope(), [&](const std::string& id) {
      return std::find(hidden_ids.begin(), hidden_ids.end(), id) == hidden_ids.end();
    });
}

bool sees_object(const model::BoardState& state, std::string_view id, const Viewer& v) {
  const model::Object* o = state.find(id);
  return o && sees(*o, v);
}

bool presence_sensitive(const v1::Presence& p, const model::BoardState& state) {
  const bool hidden = names_hidden(state);
  auto check = [&](const std::string& id) {
    const model::Object* o = state.find(id);
    return o && (restricted(*o) || (hidden && flag(*o, "anonymous")));
  };
  if (!p.editing().empty() && check(p.editing())) return true;
  for (const std::string& id : p.selection())
    if (check(id)) return true;
  return false;
}

v1::Presence filter_presence(const v1::Presence& p, const model::BoardState& state, const Viewer& v,
                             const std::string& from_member) {
  v1::Presence out = p;
  const bool hidden = names_hidden(state) && v.member_id != from_member;
  auto keep = [&](const std::string& id) {
    const model::Object* o = state.find(id);
    if (!o) return true;
    if (!sees(*o, v)) return false;
    return !(hidden && flag(*o, "anonymous"));
  };
  keep_if(out.mutable_selection(), keep);
  if (!out.editing().empty() && !keep(out.editing())) out.clear_editing();
  return out;
}

}  // namespace tandem::visibility
