#include "schema.hpp"

#include <algorithm>

namespace tandem::model {

const FieldSpec* TypeSpec::field(std::string_view n) const {
  for (const FieldSpec& f : fields)
    if (f.name == n) return &f;
  return nullptr;
}

bool TypeSpec::on(v1::BoardKind kind) const { return std::find(boards.begin(), boards.end(), kind) != boards.end(); }

// The table is generated from protocol/schema.json by protocol/gen_schema.mjs; a length
// that names a setting reads it from `limits`.
Schema::Schema(const SchemaLimits& limits) : limits_(limits) {
#include "schema_table.inc"
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
    case ValueKind::kTextList: return "list of texts";
  }
  return "?";
}

bool value_has_kind(const v1::Value& v, ValueKind k) {
  switch (k) {
    case ValueKind::kText: return v.kind_case() == v1::Value::kText;
    case ValueKind::kInteger: return v.kind_case() == v1::Value::kInteger;
    case ValueKind::kNumber: return v.kind_case() == v1::Value::kNumber;
    case ValueKind::kFlag: return v.kind_case() == v1::Value::kFlag;
    case ValueKind::kTextList: return v.kind_case() == v1::Value::kList;
  }
  return false;
}

}  // namespace tandem::model
