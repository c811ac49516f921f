// Reading the fields of an exported object (v1::ObjectState, fields sorted by name):
// shared by the Markdown and CSV writers. Pure, inline.
#pragma once

#include <string>
#include <string_view>

#include "tandem/v1/board.pb.h"

namespace tandem::transfer {

inline const v1::Value* field(const v1::ObjectState& o, std::string_view name) {
  for (const v1::Field& f : o.fields())
    if (f.name() == name) return &f.value();
  return nullptr;
}

inline std::string text(const v1::ObjectState& o, std::string_view name) {
  const v1::Value* v = field(o, name);
  return v && v->kind_case() == v1::Value::kText ? v->text() : std::string();
}

inline bool live(const v1::ObjectState& o) { return !o.deleted(); }

}  // namespace tandem::transfer
