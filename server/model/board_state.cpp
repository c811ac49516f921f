#include "board_state.hpp"

#include <cmath>
#include <unordered_set>

namespace tandem::model {

namespace {
constexpr std::size_t kMaxIdBytes = 64;

Rejection reject(v1::RejectCode code, std::string message) { return Rejection{code, std::move(message)}; }
}  // namespace

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

BoardState::BoardState(const Schema& schema, StateLimits limits) : schema_(schema), limits_(limits) {}

const Object* BoardState::find(std::string_view id) const {
  auto it = objects_.find(id);
  return it == objects_.end() ? nullptr : &it->second;
}

std::optional<Rejection> BoardState::apply(const google::protobuf::RepeatedPtrField<v1::Op>& ops,
                                           std::uint64_t seq) {
  if (ops.empty()) return reject(v1::REJECT_CODE_BAD_OP, "a change needs at least one op");
  if (static_cast<std::size_t>(ops.size()) > limits_.max_ops_per_change)
    return reject(v1::REJECT_CODE_BAD_OP, "a change may hold at most " +
                                              std::to_string(limits_.max_ops_per_change) + " ops");
  undo_.clear();
  const std::size_t live_before = live_;
  for (int i = 0; i < ops.size(); ++i) {
    if (auto r = apply_op(ops[i], seq)) {
      // All or nothing: restore every object this change touched, newest first.
      for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) {
        if (it->second) objects_.insert_or_assign(it->first, std::move(*it->second));
        else objects_.erase(it->first);
      }
      undo_.clear();
      live_ = live_before;
      if (ops.size() > 1) r->message = "op " + std::to_string(i) + ": " + r->message;
      return r;
    }
  }
  undo_.clear();
  seq_ = seq;
  return std::nullopt;
}

std::optional<Rejection> BoardState::check_fields(
    const TypeSpec& spec, const google::protobuf::RepeatedPtrField<v1::Field>& fields) const {
  std::unordered_set<std::string_view> seen;
  for (const v1::Field& f : fields) {
    const FieldSpec* fs = spec.field(f.name());
    if (!fs) return reject(v1::REJECT_CODE_BAD_FIELD, spec.name + " has no field '" + f.name() + "'");
    if (!seen.insert(f.name()).second)
      return reject(v1::REJECT_CODE_BAD_FIELD, "field '" + f.name() + "' given twice");
    if (!value_has_kind(f.value(), fs->kind))
      return reject(v1::REJECT_CODE_BAD_FIELD, "field '" + f.name() + "' takes a " + value_kind_name(fs->kind));
    if (fs->kind == ValueKind::kText && f.value().text().size() > fs->max_len)
      return reject(v1::REJECT_CODE_TOO_LONG, "field '" + f.name() + "' is longer than " +
                                                  std::to_string(fs->max_len) + " bytes");
    if (fs->kind == ValueKind::kNumber && !std::isfinite(f.value().number()))
      return reject(v1::REJECT_CODE_BAD_FIELD, "field '" + f.name() + "' must be a finite number");
  }
  return std::nullopt;
}

std::optional<Rejection> BoardState::apply_op(const v1::Op& op, std::uint64_t seq) {
  switch (op.kind_case()) {
    case v1::Op::kCreate: {
      const v1::CreateObject& c = op.create();
      if (!valid_id(c.id())) return reject(v1::REJECT_CODE_BAD_OP, "bad object id '" + c.id() + "'");
      if (objects_.count(c.id())) return reject(v1::REJECT_CODE_DUPLICATE_ID, "object " + c.id() + " exists");
      const TypeSpec* spec = schema_.type(c.type());
      if (!spec) return reject(v1::REJECT_CODE_BAD_OP, "unknown object type " + std::to_string(c.type()));
      if (auto r = check_fields(*spec, c.fields())) return r;
      for (const FieldSpec& fs : spec->fields) {
        if (!fs.required) continue;
        bool given = false;
        for (const v1::Field& f : c.fields()) given = given || f.name() == fs.name;
        if (!given) return reject(v1::REJECT_CODE_BAD_FIELD, spec->name + " needs field '" + fs.name + "'");
      }
      if (live_ >= limits_.max_objects)
        return reject(v1::REJECT_CODE_TOO_MANY_OBJECTS,
                      "a board holds at most " + std::to_string(limits_.max_objects) + " objects");
      Object obj;
      obj.type = c.type();
      obj.created_seq = obj.updated_seq = seq;
      for (const v1::Field& f : c.fields()) obj.fields.emplace(f.name(), f.value());
      undo_.emplace_back(c.id(), std::nullopt);
      objects_.emplace(c.id(), std::move(obj));
      ++live_;
      return std::nullopt;
    }
    case v1::Op::kUpdate: {
      const v1::UpdateObject& u = op.update();
      auto it = objects_.find(u.id());
      if (it == objects_.end()) return reject(v1::REJECT_CODE_UNKNOWN_OBJECT, "no object " + u.id());
      if (it->second.deleted) return reject(v1::REJECT_CODE_DELETED, "object " + u.id() + " was deleted");
      if (u.fields().empty()) return reject(v1::REJECT_CODE_BAD_OP, "an update needs at least one field");
      if (auto r = check_fields(*schema_.type(it->second.type), u.fields())) return r;
      undo_.emplace_back(u.id(), it->second);
      for (const v1::Field& f : u.fields()) it->second.fields.insert_or_assign(f.name(), f.value());
      it->second.updated_seq = seq;
      return std::nullopt;
    }
    case v1::Op::kDelete: {
      const std::string& id = op.delete_().id();
      auto it = objects_.find(id);
      if (it == objects_.end()) return reject(v1::REJECT_CODE_UNKNOWN_OBJECT, "no object " + id);
      if (it->second.deleted) return reject(v1::REJECT_CODE_DELETED, "object " + id + " was deleted");
      undo_.emplace_back(id, it->second);
      it->second.deleted = true;
      it->second.fields.clear();
      it->second.updated_seq = seq;
      --live_;
      return std::nullopt;
    }
    case v1::Op::KIND_NOT_SET:
      break;
  }
  return reject(v1::REJECT_CODE_BAD_OP, "op has no kind");
}

void BoardState::load(const v1::BoardSnapshot& snapshot) {
  objects_.clear();
  live_ = 0;
  seq_ = snapshot.seq();
  for (const v1::ObjectState& os : snapshot.objects()) {
    Object obj;
    obj.type = os.type();
    obj.created_seq = os.created_seq();
    obj.updated_seq = os.updated_seq();
    obj.deleted = os.deleted();
    for (const v1::Field& f : os.fields()) obj.fields.emplace(f.name(), f.value());
    if (!obj.deleted) ++live_;
    objects_.emplace(os.id(), std::move(obj));
  }
}

v1::BoardSnapshot BoardState::snapshot() const {
  v1::BoardSnapshot snap;
  snap.set_seq(seq_);
  snap.mutable_objects()->Reserve(static_cast<int>(objects_.size()));
  for (const auto& [id, obj] : objects_) {
    v1::ObjectState* os = snap.add_objects();
    os->set_id(id);
    os->set_type(obj.type);
    os->set_created_seq(obj.created_seq);
    os->set_updated_seq(obj.updated_seq);
    os->set_deleted(obj.deleted);
    for (const auto& [name, value] : obj.fields) {
      v1::Field* f = os->add_fields();
      f->set_name(name);
      *f->mutable_value() = value;
    }
  }
  return snap;
}

}  // namespace tandem::model
