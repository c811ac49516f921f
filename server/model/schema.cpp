#include "schema.hpp"

namespace tandem::model {

namespace {
constexpr std::size_t kShortText = 64;    // colours, statuses, names
constexpr std::size_t kOrderKeyMax = 128; // fractional order keys (DESIGN section 2)
}  // namespace

const FieldSpec* TypeSpec::field(std::string_view n) const {
  for (const FieldSpec& f : fields)
    if (f.name == n) return &f;
  return nullptr;
}

Schema::Schema(const SchemaLimits& limits) {
  types_.push_back(TypeSpec{v1::OBJECT_TYPE_NOTE, "note", {
      {"text", ValueKind::kText, limits.max_note_text, false},
      {"color", ValueKind::kText, kShortText, false},
      {"x", ValueKind::kNumber, 0, false},
      {"y", ValueKind::kNumber, 0, false},
      {"width", ValueKind::kNumber, 0, false},
      {"height", ValueKind::kNumber, 0, false},
      {"z", ValueKind::kText, kOrderKeyMax, false},
  }});
  types_.push_back(TypeSpec{v1::OBJECT_TYPE_BACKLOG_ITEM, "backlog_item", {
      {"title", ValueKind::kText, limits.max_note_text, true},
      {"description", ValueKind::kText, limits.max_long_text, false},
      {"status", ValueKind::kText, kShortText, false},
      {"estimate", ValueKind::kNumber, 0, false},
      {"order", ValueKind::kText, kOrderKeyMax, false},
  }});
}

const TypeSpec* Schema::type(v1::ObjectType t) const {
  for (const TypeSpec& s : types_)
    if (s.type == t) return &s;
  return nullptr;
}

const char* value_kind_name(ValueKind k) {
  switch (k) {
    case ValueKind::kText: return "text";
    case ValueKind::kInteger: return "integer";
    case ValueKind::kNumber: return "number";
    case ValueKind::kFlag: return "flag";
  }
  return "?";
}

bool value_has_kind(const v1::Value& v, ValueKind k) {
  switch (k) {
    case ValueKind::kText: return v.kind_case() == v1::Value::kText;
    case ValueKind::kInteger: return v.kind_case() == v1::Value::kInteger;
    case ValueKind::kNumber: return v.kind_case() == v1::Value::kNumber;
    case ValueKind::kFlag: return v.kind_case() == v1::Value::kFlag;
  }
  return false;
}

}  // namespace tandem::model
