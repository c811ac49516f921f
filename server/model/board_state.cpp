#include "board_state.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "order_key.hpp"
#include "state_util.hpp"

namespace tandem::model {

namespace {
constexpr std::size_t kMaxIdBytes = 64;
constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxColumns = 12;
constexpr std::size_t kMaxColumnName = 64;

using detail::reject;
using detail::text_value;

// The longest prefix of `s` of at most `max` bytes that does not split a UTF-8
// character (a cut one would make the string invalid UTF-8, which protobuf refuses
// to parse back). The client's replica cuts the same way (web-client board.ts).
std::string utf8_prefix(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // s[n]: a continuation byte
  return s.substr(0, n);
}

}  // namespace

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string> default_columns() { return {"todo", "doing", "done"}; }

const v1::Value* Object::get(std::string_view name) const {
  auto it = fields.find(name);
  return it == fields.end() ? nullptr : &it->second;
}

std::string_view Object::text(std::string_view name) const {
  const v1::Value* v = get(name);
  return v && v->kind_case() == v1::Value::kText ? std::string_view(v->text()) : std::string_view();
}

BoardState::BoardState(const Schema& schema, StateLimits limits) : schema_(schema), limits_(limits) {}

void BoardState::reset(const v1::BoardMeta& meta) {
  kind_ = meta.kind() == v1::BOARD_KIND_BACKLOG ? v1::BOARD_KIND_BACKLOG : v1::BOARD_KIND_DISCOVERY;
  settings_.Clear();
  settings_.set_title(meta.title());
  if (kind_ == v1::BOARD_KIND_BACKLOG)
    for (const auto& c : default_columns()) settings_.add_columns(c);
  objects_.clear();
  outbox_.clear();
  fac_.Clear();
  closing_.reset();
  live_ = 0;
  seq_ = 0;
  needs_rebalance_ = false;
}

std::optional<Rejection> check_title(const std::string& title) {
  if (title.size() > kMaxTitle)
    return Rejection{v1::REJECT_CODE_TOO_LONG, "title longer than " + std::to_string(kMaxTitle) + " bytes"};
  return std::nullopt;
}

std::optional<Rejection> check_new_board(const v1::BoardMeta& meta) {
  if (auto r = check_title(meta.title())) return r;
  if (meta.kind() != v1::BOARD_KIND_DISCOVERY && meta.kind() != v1::BOARD_KIND_BACKLOG)
    return Rejection{v1::REJECT_CODE_BAD_FIELD, "kind must be discovery or backlog"};
  if (!v1::BoardTemplate_IsValid(meta.template_()))
    return Rejection{v1::REJECT_CODE_BAD_FIELD, "unknown template " + std::to_string(meta.template_())};
  if (meta.kind() == v1::BOARD_KIND_BACKLOG && meta.template_() != v1::BOARD_TEMPLATE_UNSPECIFIED)
    return Rejection{v1::REJECT_CODE_BAD_FIELD, "templates are for discovery boards"};
  return std::nullopt;
}

const Object* BoardState::find(std::string_view id) const {
  auto it = objects_.find(id);
  return it == objects_.end() ? nullptr : &it->second;
}

// ---------- changes ----------

std::optional<Rejection> BoardState::replay(const v1::SequencedChange& change) {
  ApplyContext ctx{change.seq(), change.author(), change.server_time_ms(), change.system(), change.author_id(),
                   change.client_id(), true};
  return apply(change.ops(), ctx);
}

void BoardState::begin_change() {
  undo_.clear();
  undo_settings_.reset();
  undo_outbox_.reset();
  undo_fac_.reset();
  closing_.reset();
  change_has_long_key_ = false;
  change_rebalances_ = false;
  live_before_ = live_;
}

// All or nothing (MODEL-5): restore what this change touched, newest first.
void BoardState::rollback() {
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) {
    if (it->second) objects_.insert_or_assign(it->first, std::move(*it->second));
    else objects_.erase(it->first);
  }
  if (undo_settings_) settings_ = std::move(*undo_settings_);
  if (undo_outbox_) outbox_ = std::move(*undo_outbox_);
  if (undo_fac_) fac_ = std::move(*undo_fac_);
  undo_.clear();
  undo_settings_.reset();
  undo_outbox_.reset();
  undo_fac_.reset();
  closing_.reset();
  live_ = live_before_;
}

void BoardState::commit(const ApplyContext& ctx) {
  for (const auto& [id, before] : undo_)
    if (auto it = objects_.find(id); it != objects_.end()) it->second.revision = ctx.seq;
  undo_.clear();
  undo_settings_.reset();
  undo_outbox_.reset();
  undo_fac_.reset();
  seq_ = ctx.seq;
  if (change_rebalances_) needs_rebalance_ = false;
  if (change_has_long_key_) needs_rebalance_ = true;
}

std::optional<Rejection> BoardState::apply_live(google::protobuf::RepeatedPtrField<v1::Op>* ops,
                                                const ApplyContext& ctx) {
  if (ops->empty()) return reject(v1::REJECT_CODE_BAD_OP, "a change needs at least one op");
  if (static_cast<std::size_t>(ops->size()) > limits_.max_ops_per_change)
    return reject(v1::REJECT_CODE_BAD_OP, "a change may hold at most " +
                                              std::to_string(limits_.max_ops_per_change) + " ops");
  begin_change();
  for (int i = 0; i < ops->size(); ++i) {
    if (auto r = apply_op((*ops)[i], ctx)) {
      rollback();
      if (ops->size() > 1) r->message = "op " + std::to_string(i) + ": " + r->message;
      return r;
    }
  }
  std::vector<v1::Op> derived = derive(*ops, ctx);
  ApplyContext dctx = ctx;
  dctx.derived = true;
  for (const v1::Op& op : derived)
    if (auto r = apply_op(op, dctx)) {  // a bug: the server's own ops must apply
      rollback();
      r->message = "derived op: " + r->message;
      return r;
    }
  for (v1::Op& op : derived) *ops->Add() = std::move(op);
  commit(ctx);
  return std::nullopt;
}

std::optional<Rejection> BoardState::apply(const google::protobuf::RepeatedPtrField<v1::Op>& ops,
                                           const ApplyContext& ctx) {
  if (ops.empty()) return reject(v1::REJECT_CODE_BAD_OP, "a change needs at least one op");
  if (static_cast<std::size_t>(ops.size()) > limits_.max_ops_per_change)
    return reject(v1::REJECT_CODE_BAD_OP, "a change may hold at most " +
                                              std::to_string(limits_.max_ops_per_change) + " ops");
  begin_change();
  for (int i = 0; i < ops.size(); ++i) {
    if (auto r = apply_op(ops[i], ctx)) {
      rollback();
      if (ops.size() > 1) r->message = "op " + std::to_string(i) + ": " + r->message;
      return r;
    }
  }
  commit(ctx);
  return std::nullopt;
}

std::optional<Rejection> BoardState::apply_op(const v1::Op& op, const ApplyContext& ctx) {
  switch (op.kind_case()) {
    case v1::Op::kCreate: return create(op.create(), ctx);
    case v1::Op::kUpdate: return update(op.update(), ctx);
    case v1::Op::kDelete: return remove(op.delete_().id(), false);
    case v1::Op::kRestore: return restore(op.restore(), ctx);
    case v1::Op::kMove: return move(op.move());
    case v1::Op::kAddVote: return add_vote(op.add_vote(), ctx);
    case v1::Op::kRemoveVote: return remove_vote(op.remove_vote(), ctx);
    case v1::Op::kUpdateBoard: return update_board(op.update_board());
    case v1::Op::kPromote: return promote(op.promote(), ctx);
    case v1::Op::kPromoteDone:
      if (!ctx.system) return reject(v1::REJECT_CODE_NOT_ALLOWED, "promote_done is the server's");
      return promote_done(op.promote_done());
    case v1::Op::kRebalance:
      if (!ctx.system) return reject(v1::REJECT_CODE_NOT_ALLOWED, "rebalance is the server's");
      return rebalance(op.rebalance());
    case v1::Op::KIND_NOT_SET: break;
    default: return facilitate(op, ctx);  // facilitation.cpp
  }
  return reject(v1::REJECT_CODE_BAD_OP, "op has no kind");
}

void BoardState::note_anonymous(const Object& obj) {
  const v1::Value* v = obj.get("anonymous");
  if (v && v->kind_case() == v1::Value::kFlag && v->flag()) anonymous_seen_ = true;
}

void BoardState::touch(const std::string& id) {
  auto it = objects_.find(id);
  if (it == objects_.end()) undo_.emplace_back(id, std::nullopt);
  else undo_.emplace_back(id, it->second);
}

void BoardState::save_settings() {
  if (!undo_settings_) undo_settings_ = settings_;
}

void BoardState::save_outbox() {
  if (!undo_outbox_) undo_outbox_ = outbox_;
}

void BoardState::note_key(std::string_view key) {
  if (key.size() > order_key::kRebalanceLength) change_has_long_key_ = true;
}

std::optional<Rejection> BoardState::live_object(std::string_view id, Object** out) {
  auto it = objects_.find(id);
  if (it == objects_.end()) return reject(v1::REJECT_CODE_UNKNOWN_OBJECT, "no object " + std::string(id));
  if (it->second.deleted) return reject(v1::REJECT_CODE_DELETED, "object " + std::string(id) + " was deleted");
  *out = &it->second;
  return std::nullopt;
}

std::optional<Rejection> BoardState::create(const v1::CreateObject& c, const ApplyContext& ctx) {
  if (!valid_id(c.id())) return reject(v1::REJECT_CODE_BAD_OP, "bad object id '" + c.id() + "'");
  if (objects_.count(c.id())) return reject(v1::REJECT_CODE_DUPLICATE_ID, "object " + c.id() + " exists");
  const TypeSpec* spec = schema_.type(c.type());
  if (!spec) return reject(v1::REJECT_CODE_BAD_OP, "unknown object type " + std::to_string(c.type()));
  if (!spec->on(kind_)) return reject(v1::REJECT_CODE_BAD_OP, "this kind of board has no " + spec->name);
  if (c.type() == v1::OBJECT_TYPE_VOTE && !ctx.system) return reject(v1::REJECT_CODE_BAD_OP, "votes are added with add_vote");
  std::unordered_set<std::string_view> seen;
  for (const v1::Field& f : c.fields()) {
    if (auto r = check_field(*spec, f, ctx.system, true)) return r;
    if (!seen.insert(f.name()).second) return reject(v1::REJECT_CODE_BAD_FIELD, "field '" + f.name() + "' given twice");
    if (auto r = check_value(*spec->field(f.name()), f.value(), c.id())) return r;
  }
  for (const FieldSpec& fs : spec->fields)
    if (fs.required && !seen.count(fs.name)) return reject(v1::REJECT_CODE_BAD_FIELD, spec->name + " needs field '" + fs.name + "'");
  Object obj;
  obj.type = c.type();
  obj.created_seq = obj.updated_seq = ctx.seq;
  for (const v1::Field& f : c.fields()) {
    if (f.name() == kOrderField) note_key(f.value().text());
    if (f.name() == kParentField && f.value().text().empty()) continue;
    obj.fields.emplace(f.name(), f.value());
  }
  // Server-stamped fields (VOTE-1, MODEL-6).
  if (spec->field("author") && !obj.get("author")) obj.fields.emplace("author", text_value(ctx.author));
  if (spec->field("created_ms") && !obj.get("created_ms")) {
    v1::Value t;
    t.set_integer(ctx.time_ms);
    obj.fields.emplace("created_ms", t);
  }
  if (!ctx.system)
    if (auto r = stamp_create(*spec, obj, ctx)) return r;  // FAC-4, FAC-5
  return insert(c.id(), std::move(obj));
}

std::optional<Rejection> BoardState::insert(const std::string& id, Object obj) {
  if (live_ >= limits_.max_objects)
    return reject(v1::REJECT_CODE_TOO_MANY_OBJECTS, "a board holds at most " + std::to_string(limits_.max_objects) + " objects");
  touch(id);
  note_anonymous(obj);
  objects_.emplace(id, std::move(obj));
  ++live_;
  return std::nullopt;
}

std::optional<Rejection> BoardState::update(const v1::UpdateObject& u, const ApplyContext& ctx) {
  Object* obj = nullptr;
  if (auto r = live_object(u.id(), &obj)) return r;
  if (u.fields().empty()) return reject(v1::REJECT_CODE_BAD_OP, "an update needs at least one field");
  const TypeSpec& spec = *schema_.type(obj->type);
  std::unordered_set<std::string_view> seen;
  for (const v1::Field& f : u.fields()) {
    if (auto r = check_field(spec, f, ctx.system, false)) return r;
    if (!seen.insert(f.name()).second) return reject(v1::REJECT_CODE_BAD_FIELD, "field '" + f.name() + "' given twice");
    if (auto r = check_value(*spec.field(f.name()), f.value(), u.id())) return r;
    if (spec.field(f.name())->check == Check::kRef)
      if (auto r = check_private_link(*obj, f.value().text())) return r;
  }
  touch(u.id());
  obj = &objects_.find(u.id())->second;
  for (const v1::Field& f : u.fields()) obj->fields.insert_or_assign(f.name(), f.value());
  obj->updated_seq = ctx.seq;
  return std::nullopt;
}

std::optional<Rejection> BoardState::remove(const std::string& id, bool vote) {
  Object* obj = nullptr;
  if (auto r = live_object(id, &obj)) return r;
  if (obj->type == v1::OBJECT_TYPE_VOTE && !vote) return reject(v1::REJECT_CODE_BAD_OP, "votes are removed with remove_vote");
  touch(id);
  obj = &objects_.find(id)->second;
  obj->deleted = true;
  // A tombstone keeps the server's fields (MODEL-4): who may see it, so that the filter
  // hides a deleted private object's history (VIS-1, VIS-2, VIS-3), and what a restore
  // gives back but no client may set (author, created_ms, ..., MODEL-9).
  const TypeSpec& spec = *schema_.type(obj->type);
  std::erase_if(obj->fields, [&](const auto& f) {
    const FieldSpec* fs = spec.field(f.first);
    return !fs || fs->access != Access::kServer;
  });
  obj->updated_seq = seq_ + 1;
  --live_;
  return std::nullopt;
}

// MODEL-9: a tombstone becomes live again, the same object: its id, type, created_seq
// and the server's fields it kept; the client gives its client fields, checked as at create.
std::optional<Rejection> BoardState::restore(const v1::RestoreObject& r, const ApplyContext& ctx) {
  auto it = objects_.find(r.id());
  if (it == objects_.end()) return reject(v1::REJECT_CODE_UNKNOWN_OBJECT, "no object " + r.id());
  if (!it->second.deleted) return reject(v1::REJECT_CODE_DUPLICATE_ID, "object " + r.id() + " is not deleted");
  const Object& tomb = it->second;
  if (tomb.type == v1::OBJECT_TYPE_VOTE && !ctx.system) return reject(v1::REJECT_CODE_BAD_OP, "votes are added with add_vote");
  const TypeSpec* spec = schema_.type(tomb.type);
  if (!spec || !spec->on(kind_)) return reject(v1::REJECT_CODE_BAD_OP, "object " + r.id() + " cannot be restored here");
  const std::string_view owner = tomb.text("private_to");
  if (!ctx.system && !owner.empty() && owner != ctx.voter())
    return reject(v1::REJECT_CODE_NOT_ALLOWED, "object " + r.id() + " is another member's private object");
  std::unordered_set<std::string_view> seen;
  for (const v1::Field& f : r.fields()) {
    if (auto rej = check_field(*spec, f, ctx.system, true)) return rej;
    if (!seen.insert(f.name()).second) return reject(v1::REJECT_CODE_BAD_FIELD, "field '" + f.name() + "' given twice");
    if (auto rej = check_value(*spec->field(f.name()), f.value(), r.id())) return rej;
  }
  for (const FieldSpec& fs : spec->fields)
    if (fs.required && !seen.count(fs.name) && !tomb.get(fs.name))
      return reject(v1::REJECT_CODE_BAD_FIELD, spec->name + " needs field '" + fs.name + "'");
  Object obj = tomb;
  obj.deleted = false;
  obj.updated_seq = ctx.seq;
  for (const v1::Field& f : r.fields()) {
    if (f.name() == kOrderField) note_key(f.value().text());
    if (f.name() == kParentField && f.value().text().empty()) continue;
    obj.fields.insert_or_assign(f.name(), f.value());
  }
  // It keeps its privacy (FAC-4): a reference may not cross into another member's private object.
  for (const FieldSpec& fs : spec->fields)
    if (fs.check == Check::kRef)
      if (auto rej = check_private_link(obj, obj.text(fs.name))) return rej;
  if (live_ >= limits_.max_objects)
    return reject(v1::REJECT_CODE_TOO_MANY_OBJECTS, "a board holds at most " + std::to_string(limits_.max_objects) + " objects");
  touch(r.id());
  objects_.insert_or_assign(r.id(), std::move(obj));
  ++live_;
  return std::nullopt;
}

std::optional<Rejection> BoardState::move(const v1::MoveObject& m) {
  Object* obj = nullptr;
  if (auto r = live_object(m.id(), &obj)) return r;
  const TypeSpec& spec = *schema_.type(obj->type);
  const FieldSpec* of = spec.field(kOrderField);
  if (!of) return reject(v1::REJECT_CODE_BAD_OP, "a " + spec.name + " has no order");
  v1::Value key = text_value(m.order());
  if (auto r = check_value(*of, key, m.id())) return r;
  std::optional<v1::Value> parent;
  if (m.has_parent()) {
    const FieldSpec* pf = spec.field(kParentField);
    if (!pf) return reject(v1::REJECT_CODE_BAD_FIELD, "a " + spec.name + " has no parent");
    parent = text_value(m.parent());
    if (auto r = check_value(*pf, *parent, m.id())) return r;
    if (auto r = check_private_link(*obj, m.parent())) return r;
  }
  touch(m.id());
  obj = &objects_.find(m.id())->second;
  obj->fields.insert_or_assign(std::string(kOrderField), std::move(key));
  if (parent) {
    if (parent->text().empty()) obj->fields.erase(std::string(kParentField));
    else obj->fields.insert_or_assign(std::string(kParentField), std::move(*parent));
  }
  obj->updated_seq = seq_ + 1;
  note_key(m.order());
  return std::nullopt;
}

std::optional<Rejection> BoardState::add_vote(const v1::AddVote& v, const ApplyContext& ctx) {
  if (!valid_id(v.id())) return reject(v1::REJECT_CODE_BAD_OP, "bad vote id '" + v.id() + "'");
  if (objects_.count(v.id())) return reject(v1::REJECT_CODE_DUPLICATE_ID, "object " + v.id() + " exists");
  const TypeSpec& spec = *schema_.type(v1::OBJECT_TYPE_VOTE);
  if (auto r = check_value(*spec.field("target"), text_value(v.target()), v.id())) return r;
  Object obj;
  obj.type = v1::OBJECT_TYPE_VOTE;
  obj.created_seq = obj.updated_seq = ctx.seq;
  obj.fields.emplace("target", text_value(v.target()));
  obj.fields.emplace("voter", text_value(ctx.voter()));
  if (!ctx.system)
    if (auto r = stamp_vote(obj, ctx)) return r;  // FAC-4, FAC-5, FAC-6
  return insert(v.id(), std::move(obj));
}

std::optional<Rejection> BoardState::remove_vote(const v1::RemoveVote& v, const ApplyContext& ctx) {
  Object* obj = nullptr;
  if (auto r = live_object(v.id(), &obj)) return r;
  if (obj->type != v1::OBJECT_TYPE_VOTE) return reject(v1::REJECT_CODE_BAD_OP, "object " + v.id() + " is not a vote");
  if (!ctx.system && obj->text("voter") != ctx.voter())
    return reject(v1::REJECT_CODE_NOT_ALLOWED, "only the voter removes a vote");
  return remove(v.id(), true);
}

std::optional<Rejection> BoardState::update_board(const v1::UpdateBoard& u) {
  if (u.has_title())
    if (auto r = check_title(u.title())) return r;
  if (u.set_columns()) {
    if (u.columns().empty() || static_cast<std::size_t>(u.columns_size()) > kMaxColumns)
      return reject(v1::REJECT_CODE_BAD_FIELD, "a board has 1 to " + std::to_string(kMaxColumns) + " columns");
    std::unordered_set<std::string_view> seen;
    for (const auto& c : u.columns()) {
      if (c.empty() || c.size() > kMaxColumnName) return reject(v1::REJECT_CODE_BAD_FIELD, "column names are 1-64 bytes");
      if (!seen.insert(c).second) return reject(v1::REJECT_CODE_BAD_FIELD, "column '" + c + "' given twice");
    }
  }
  save_settings();
  if (u.has_title()) settings_.set_title(u.title());
  if (u.set_columns()) *settings_.mutable_columns() = u.columns();
  return std::nullopt;
}

std::optional<Rejection> BoardState::promote(const v1::Promote& p, const ApplyContext& ctx) {
  if (kind_ != v1::BOARD_KIND_DISCOVERY) return reject(v1::REJECT_CODE_BAD_OP, "only discovery notes are promoted");
  Object* note = nullptr;
  if (auto r = live_object(p.note_id(), &note)) return r;
  if (note->type != v1::OBJECT_TYPE_NOTE) return reject(v1::REJECT_CODE_BAD_OP, "only notes are promoted");
  if (!note->text("promoted_item").empty())
    return reject(v1::REJECT_CODE_ALREADY_PROMOTED, "note " + p.note_id() + " was promoted to " +
                                                        std::string(note->text("promoted_board")));
  if (!valid_id(p.backlog_board()) || !valid_id(p.item_id())) return reject(v1::REJECT_CODE_BAD_OP, "bad backlog board or item id");
  if (outbox_.count(ctx.seq)) return reject(v1::REJECT_CODE_BAD_OP, "one promote per change");
  touch(p.note_id());
  note = &objects_.find(p.note_id())->second;
  note->fields.insert_or_assign("promoted_board", text_value(p.backlog_board()));
  note->fields.insert_or_assign("promoted_item", text_value(p.item_id()));
  note->fields.erase("promote_error");
  note->updated_seq = ctx.seq;
  save_outbox();
  v1::PendingPromote& out = outbox_[ctx.seq];
  out.set_promote_seq(ctx.seq);
  out.set_note_id(p.note_id());
  out.set_backlog_board(p.backlog_board());
  out.set_item_id(p.item_id());
  out.set_title(std::string(note->text("text")));
  return std::nullopt;
}

std::optional<Rejection> BoardState::promote_done(const v1::PromoteDone& d) {
  auto it = outbox_.find(d.promote_seq());
  if (it == outbox_.end()) return reject(v1::REJECT_CODE_BAD_OP, "no pending promote " + std::to_string(d.promote_seq()));
  const std::string note_id = it->second.note_id();
  save_outbox();
  outbox_.erase(d.promote_seq());
  auto nit = objects_.find(note_id);
  if (!d.ok() && nit != objects_.end()) {
    // The backlog refused: the note is free to be promoted again (PROMOTE-4), a deleted
    // one too once restored (its tombstone keeps these server fields, MODEL-9).
    touch(note_id);
    Object& note = objects_.find(note_id)->second;
    note.fields.erase("promoted_board");
    note.fields.erase("promoted_item");
    note.fields.insert_or_assign("promote_error", text_value(utf8_prefix(d.error(), kMaxTitle)));
    note.updated_seq = seq_ + 1;
  }
  return std::nullopt;
}

std::optional<Rejection> BoardState::rebalance(const v1::Rebalance& r) {
  for (const auto& k : r.keys()) {
    v1::MoveObject m;
    m.set_id(k.id());
    m.set_order(k.order());
    if (auto rej = move(m)) return rej;
  }
  change_rebalances_ = true;
  return std::nullopt;
}

}  // namespace tandem::model
