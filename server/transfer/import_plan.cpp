#include "transfer/import_plan.hpp"

#include <algorithm>
#include <charconv>
#include <unordered_set>

namespace tandem::transfer {

namespace {

// Ops per import change: well under the model's limit, so a change's derived ops fit too.
constexpr std::size_t kOpsPerChange = 500;

// Creates go in an order where every reference names an object made before (MODEL-7):
// groups, then what sits in them, then connectors, comments (they may target
// connectors) and votes.
int rank(v1::ObjectType t) {
  switch (t) {
    case v1::OBJECT_TYPE_GROUP: return 0;
    case v1::OBJECT_TYPE_CONNECTOR: return 2;
    case v1::OBJECT_TYPE_COMMENT: return 3;
    case v1::OBJECT_TYPE_VOTE: return 4;
    default: return 1;
  }
}

const char* type_name(v1::ObjectType t) {
  switch (t) {
    case v1::OBJECT_TYPE_NOTE: return "note";
    case v1::OBJECT_TYPE_GROUP: return "group";
    case v1::OBJECT_TYPE_CONNECTOR: return "connector";
    case v1::OBJECT_TYPE_COMMENT: return "comment";
    case v1::OBJECT_TYPE_VOTE: return "vote";
    case v1::OBJECT_TYPE_EXPERIMENT: return "experiment";
    case v1::OBJECT_TYPE_BACKLOG_ITEM: return "backlog item";
    default: return "object";
  }
}

// What an op of the plan is about, for an error message.
std::string describe(const v1::Op& op) {
  if (op.has_create()) return std::string(type_name(op.create().type())) + " \"" + op.create().id() + "\"";
  if (op.has_update_board()) return "the board's settings";
  return "the facilitation state";
}

// Builds the ops of the objects; fills `left_out`.
void object_ops(const v1::BoardSnapshot& snap, const model::Schema& schema, std::vector<v1::Op>* ops,
                std::size_t* objects, std::size_t* left_out) {
  std::vector<const v1::ObjectState*> list;
  for (const v1::ObjectState& o : snap.objects()) {
    if (o.deleted()) ++*left_out;  // tombstones: a deleted object is not imported
    else list.push_back(&o);
  }
  std::stable_sort(list.begin(), list.end(), [](const v1::ObjectState* a, const v1::ObjectState* b) {
    return rank(a->type()) != rank(b->type()) ? rank(a->type()) < rank(b->type()) : a->id() < b->id();
  });
  std::unordered_set<std::string> made;
  for (const v1::ObjectState* o : list) {
    const model::TypeSpec* spec = schema.type(o->type());
    v1::Op op;
    v1::CreateObject* c = op.mutable_create();
    c->set_id(o->id());
    c->set_type(o->type());
    bool keep = true;
    for (const v1::Field& f : o->fields()) {
      const model::FieldSpec* fs = spec ? spec->field(f.name()) : nullptr;
      // A reference to what is not imported (a tombstone, a hidden object) is dropped
      // when optional (a note's lane); an object that needs it is left out.
      if (fs && fs->check == model::Check::kRef && f.value().kind_case() == v1::Value::kText &&
          !f.value().text().empty() && !made.count(f.value().text())) {
        if (fs->required || o->type() == v1::OBJECT_TYPE_VOTE) keep = false;
        continue;
      }
      *c->add_fields() = f;
    }
    if (!keep) {
      ++*left_out;
      continue;
    }
    made.insert(o->id());
    ++*objects;
    ops->push_back(std::move(op));
  }
}

// The facilitation state as ops (FAC-*): what makes sense on a new board. The timer,
// readiness and follow belong to a live workshop and are left out.
void facilitation_ops(const v1::Facilitation& f, const std::unordered_set<std::string>& made, std::vector<v1::Op>* ops) {
  if (f.agenda_size()) *ops->emplace_back().mutable_set_agenda()->mutable_phases() = f.agenda();
  if (!f.phase_id().empty()) ops->emplace_back().mutable_set_phase()->set_phase_id(f.phase_id());
  if (f.dot_votes_off()) ops->emplace_back().mutable_set_options()->set_dot_votes(false);
  for (const v1::VotingResult& r : f.results()) *ops->emplace_back().mutable_voting_result() = r;
  if (f.has_voting()) {
    v1::OpenVoting o = f.voting().settings();
    o.clear_scope();
    for (const std::string& id : f.voting().settings().scope())
      if (made.count(id)) o.add_scope(id);
    *ops->emplace_back().mutable_open_voting() = std::move(o);
    for (const v1::Turnout& t : f.turnout()) *ops->emplace_back().mutable_turnout() = t;
  }
  if (f.names_shown()) ops->emplace_back().mutable_show_names()->set_on(true);
  if (f.private_writing()) {
    auto* p = ops->emplace_back().mutable_set_private_writing();
    p->set_on(true);
    p->set_audience(f.private_audience());
    for (const v1::PrivateCount& c : f.private_counts()) *ops->emplace_back().mutable_private_count() = c;
  }
  if (f.locked()) ops->emplace_back().mutable_set_lock()->set_locked(true);
}

}  // namespace

model::ApplyContext import_context(std::uint64_t seq, const Importer& who, std::int64_t now_ms) {
  // As Sequencer::sequence stamps a change of the server (system) sent as the importer.
  return model::ApplyContext{seq, who.name, now_ms, true, who.member_id, kImportClientId};
}

std::optional<ImportPlan> plan_import(const v1::BoardExport& e, const std::string& title, const Importer& who,
                                      const model::Schema& schema, const model::StateLimits& limits,
                                      std::int64_t now_ms, std::string* error) {
  ImportPlan p;
  const v1::BoardSnapshot& snap = e.snapshot();
  v1::BoardKind kind = e.meta().kind();
  if (kind == v1::BOARD_KIND_UNSPECIFIED) {
    kind = v1::BOARD_KIND_DISCOVERY;
    for (const v1::ObjectState& o : snap.objects())
      if (o.type() == v1::OBJECT_TYPE_BACKLOG_ITEM) kind = v1::BOARD_KIND_BACKLOG;
  }
  p.meta.set_kind(kind);
  std::string t = !title.empty() ? title : !snap.settings().title().empty() ? snap.settings().title() : e.meta().title();
  if (t.empty()) t = kind == v1::BOARD_KIND_BACKLOG ? "Imported backlog" : "Imported board";
  p.meta.set_title(t);
  if (kind == v1::BOARD_KIND_DISCOVERY && v1::BoardTemplate_IsValid(e.meta().template_()))
    p.meta.set_template_(e.meta().template_());
  if (auto r = model::check_new_board(p.meta)) {
    *error = "board: " + r->message;
    return std::nullopt;
  }

  // The title and columns as the first op: the log alone says what the board was called
  // (history before the first snapshot replays from the metadata, which a rename changes).
  std::vector<v1::Op> ops;
  auto* u = ops.emplace_back().mutable_update_board();
  u->set_title(t);
  if (kind == v1::BOARD_KIND_BACKLOG && snap.settings().columns_size()) {
    u->set_set_columns(true);
    *u->mutable_columns() = snap.settings().columns();
  }
  object_ops(snap, schema, &ops, &p.objects, &p.left_out);
  std::unordered_set<std::string> made;
  for (const v1::Op& op : ops)
    if (op.has_create()) made.insert(op.create().id());
  facilitation_ops(snap.facilitation(), made, &ops);

  // Cut into changes and check each as the board will apply it (MODEL-*, FAC-*).
  const std::size_t per = std::max<std::size_t>(1, std::min(kOpsPerChange, limits.max_ops_per_change));
  model::BoardState state(schema, limits);
  state.reset(p.meta);
  for (std::size_t at = 0; at < ops.size(); at += per) {
    v1::Change& c = p.changes.emplace_back();
    const std::size_t end = std::min(ops.size(), at + per);
    for (std::size_t i = at; i < end; ++i) *c.add_ops() = ops[i];
    google::protobuf::RepeatedPtrField<v1::Op> copy = c.ops();
    if (auto r = state.apply_live(&copy, import_context(state.seq() + 1, who, now_ms))) {
      // The model says "op N: why" for a change of several ops: name the object instead.
      std::string why = r->message;
      std::size_t index = 0;
      if (why.rfind("op ", 0) == 0) {
        const std::size_t colon = why.find(": ");
        auto [end, ec] = std::from_chars(why.data() + 3, why.data() + std::min(colon, why.size()), index);
        if (ec == std::errc() && colon != std::string::npos && end == why.data() + colon) why = why.substr(colon + 2);
        else index = 0;
      }
      if (index >= static_cast<std::size_t>(c.ops_size())) index = 0;
      *error = describe(c.ops(static_cast<int>(index))) + ": " + why;
      return std::nullopt;
    }
  }
  return p;
}

}  // namespace tandem::transfer
