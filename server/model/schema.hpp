// Schema: which fields each object type has, their value kind and limits.
//
// The model validates every create and update against it. To add an object type or
// a field: add the enum value in protocol/board.proto and a row in schema.cpp.
// Immutable after construction; thread-safe to read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/v1/board.pb.h"

namespace tandem::model {

enum class ValueKind { kText, kInteger, kNumber, kFlag };

struct FieldSpec {
  std::string name;
  ValueKind kind = ValueKind::kText;
  std::size_t max_len = 0;  // text: max bytes; 0 = no text
  bool required = false;    // must be given at create
};

struct TypeSpec {
  v1::ObjectType type = v1::OBJECT_TYPE_UNSPECIFIED;
  std::string name;
  std::vector<FieldSpec> fields;
  const FieldSpec* field(std::string_view name) const;
};

struct SchemaLimits {
  std::size_t max_note_text = 4000;    // bytes of a note's text
  std::size_t max_long_text = 20000;   // bytes of a description
};

class Schema {
 public:
  explicit Schema(const SchemaLimits& limits = {});
  const TypeSpec* type(v1::ObjectType t) const;

 private:
  std::vector<TypeSpec> types_;
};

const char* value_kind_name(ValueKind k);
bool value_has_kind(const v1::Value& v, ValueKind k);

}  // namespace tandem::model
