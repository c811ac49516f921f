// BoardState: board order (ORDER-3, ORDER-4) and snapshots: load, make, and the
// ObjectState of one object.
#include "board_state.hpp"

#include <algorithm>

#include "order_key.hpp"
#include "state_util.hpp"

namespace tandem::model {

using detail::reject;

// ---------- order ----------

std::vector<std::pair<std::string, std::string>> BoardState::ordered() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [id, obj] : objects_) {
    if (obj.deleted) continue;
    std::string_view key = obj.text(kOrderField);
    if (!key.empty()) out.emplace_back(std::string(key), id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

v1::Op BoardState::rebalance_op() const {
  auto list = ordered();
  v1::Op op;
  auto keys = order_key::n_between(std::nullopt, std::nullopt, list.size());
  if (!keys) return op;
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto* k = op.mutable_rebalance()->add_keys();
    k->set_id(list[i].second);
    k->set_order((*keys)[i]);
  }
  return op;
}

// ---------- snapshots ----------

void BoardState::load(const v1::BoardSnapshot& snapshot) {
  objects_.clear();
  outbox_.clear();
  fac_ = snapshot.facilitation();
  closing_.reset();
  live_ = 0;
  seq_ = snapshot.seq();
  needs_rebalance_ = false;
  if (snapshot.has_settings()) settings_ = snapshot.settings();
  for (const v1::ObjectState& os : snapshot.objects()) {
    Object obj = from_state(os);
    if (!obj.deleted) {
      ++live_;
      if (obj.text(kOrderField).size() > order_key::kRebalanceLength) needs_rebalance_ = true;
    }
    note_anonymous(obj);
    objects_.emplace(os.id(), std::move(obj));
  }
  for (const auto& p : snapshot.outbox()) outbox_[p.promote_seq()] = p;
}

v1::BoardSnapshot BoardState::snapshot() const {
  v1::BoardSnapshot snap = snapshot_head();
  snap.mutable_objects()->Reserve(static_cast<int>(objects_.size()));
  for (const auto& [id, obj] : objects_) *snap.add_objects() = object_state(id, obj);
  return snap;
}

v1::BoardSnapshot BoardState::snapshot_head() const {
  v1::BoardSnapshot snap;
  snap.set_seq(seq_);
  *snap.mutable_settings() = settings_;
  for (const auto& [seq, p] : outbox_) *snap.add_outbox() = p;
  // Only when there is some: boards that never used facilitation keep their bytes.
  if (fac_.ByteSizeLong() > 0) *snap.mutable_facilitation() = fac_;
  return snap;
}

v1::ObjectState BoardState::object_state(const std::string& id, const Object& obj) const {
  v1::ObjectState os;
  os.set_id(id);
  os.set_type(obj.type);
  os.set_created_seq(obj.created_seq);
  os.set_updated_seq(obj.updated_seq);
  os.set_deleted(obj.deleted);
  for (const auto& [name, value] : obj.fields) {
    v1::Field* f = os.add_fields();
    f->set_name(name);
    *f->mutable_value() = value;
  }
  return os;
}

Object BoardState::from_state(const v1::ObjectState& os) {
  Object obj;
  obj.type = os.type();
  obj.created_seq = os.created_seq();
  obj.updated_seq = os.updated_seq();
  obj.deleted = os.deleted();
  for (const v1::Field& f : os.fields()) obj.fields.emplace(f.name(), f.value());
  return obj;
}

}  // namespace tandem::model
