#include "board/welcome_snapshot.hpp"

#include <deque>
#include <string_view>
#include <vector>

namespace tandem {

std::size_t EncodedSnapshot::bytes() const {
  std::size_t n = head ? head->size() : 0;
  if (parts)
    for (const wire::SharedBytes& p : *parts) n += p->size();
  return n;
}

const EncodedSnapshot* WelcomeSnapshots::cached(const std::string& key) const {
  auto it = views_.find(key);
  return it == views_.end() ? nullptr : &it->second;
}

void WelcomeSnapshots::clear() {
  views_.clear();
  pieces_.clear();
}

const std::string& WelcomeSnapshots::piece(Pieces::iterator* at, const std::string& id, const model::Object& obj,
                                           const model::BoardState& state) {
  // Ids before this one are of objects the state no longer holds (a create rolled back).
  while (*at != pieces_.end() && (*at)->first < id) *at = pieces_.erase(*at);
  if (*at == pieces_.end() || (*at)->first != id) *at = pieces_.emplace_hint(*at, id, Piece{});
  Piece& p = (*at)->second;
  ++*at;
  if (p.bytes.empty() || p.revision != obj.revision) {
    p.bytes.clear();
    wire::append_len_field(&p.bytes, wire::kSnapshotObjectsField, state.object_state(id, obj).SerializeAsString());
    p.revision = obj.revision;
  }
  return p.bytes;
}

EncodedSnapshot WelcomeSnapshots::build(const std::string& key, const model::BoardState& state,
                                        const visibility::Viewer* viewer) {
  v1::BoardSnapshot head = state.snapshot_head();
  const bool names_shown = state.facilitation().names_shown();
  std::vector<std::string_view> objects;
  objects.reserve(state.objects().size());
  std::deque<std::string> own;  // this view's encodings of the objects it filters
  std::size_t total = 0;
  auto at = pieces_.begin();
  for (const auto& [id, obj] : state.objects()) {
    if (viewer && visibility::object_sensitive(obj, state)) {
      v1::ObjectState os = state.object_state(id, obj);
      if (!visibility::snapshot_object(&os, *viewer, names_shown)) continue;
      std::string& mine = own.emplace_back();
      wire::append_len_field(&mine, wire::kSnapshotObjectsField, os.SerializeAsString());
      objects.push_back(mine);
    } else {
      objects.push_back(piece(&at, id, obj, state));
    }
    total += objects.back().size();
  }
  if (viewer && head.has_facilitation())
    visibility::filter_facilitation(head.mutable_facilitation(), *viewer, [&](const std::string& id) {
      return visibility::sees_object(state, id, *viewer);
    });

  EncodedSnapshot out;
  out.seq = state.seq();
  std::string head_bytes = head.SerializeAsString();
  if (total <= part_bytes_) {
    head_bytes.reserve(head_bytes.size() + total);
    for (std::string_view o : objects) head_bytes.append(o);
  } else {
    // JOIN-8: parts of at most part_bytes (or one object, when bigger), in id order.
    auto parts = std::make_shared<std::vector<wire::SharedBytes>>();
    std::vector<std::string_view> group;
    std::size_t bytes = 0;
    for (std::string_view o : objects) {
      if (!group.empty() && bytes + o.size() > part_bytes_) {
        parts->push_back(wire::snapshot_part_entry(group));
        group.clear();
        bytes = 0;
      }
      group.push_back(o);
      bytes += o.size();
    }
    if (!group.empty()) parts->push_back(wire::snapshot_part_entry(group));
    out.parts = std::move(parts);
  }
  out.head = std::make_shared<const std::string>(std::move(head_bytes));
  if (views_.size() >= kMaxViews && !views_.count(key)) views_.clear();
  views_[key] = out;
  return out;
}

}  // namespace tandem
