// Schema: which object types a board kind holds, their fields, value kinds, limits
// and who may set each field.
//
// The model validates every op against it. The table is written once, in
// protocol/schema.json (format at its top), and generated for both sides by
// protocol/gen_schema.mjs: server/model/schema_table.inc (committed, #included by
// schema.cpp) and the web client's src/gen/schema.ts. To add a field or a type: the enum
// value in protocol/board.proto, a row in schema.json, then `node protocol/gen_schema.mjs`.
// A setting of SchemaLimits is named in schema.json by its member name. Immutable after
// construction; thread-safe to read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/v1/board.pb.h"

namespace tandem::model {

enum class ValueKind { kText, kInteger, kNumber, kFlag, kTextList };

// What else a text value must be.
enum class Check {
  kNone,
  kRef,       // the id of a live object of one of `ref_types`
  kOrderKey,  // a valid order key (order_key.hpp)
  kEnum,      // one of `enum_values`
  kColumn,    // one of the board's status columns
};

// Who may set a field, and how.
enum class Access {
  kClient,  // create and update
  kCreate,  // create only (an immutable reference)
  kMove,    // create and move only
  kServer,  // the server only (authors, times, promote links)
};

struct FieldSpec {
  std::string name;
  ValueKind kind = ValueKind::kText;
  std::size_t max_len = 0;  // text: bytes; list: bytes of each item
  bool required = false;    // must be set at create
  Access access = Access::kClient;
  Check check = Check::kNone;
  std::vector<v1::ObjectType> ref_types = {};
  std::vector<std::string> enum_values = {};
  std::size_t max_items = 0;  // list: items
};

struct TypeSpec {
  v1::ObjectType type = v1::OBJECT_TYPE_UNSPECIFIED;
  std::string name;
  std::vector<v1::BoardKind> boards;  // kinds of board that hold it
  std::vector<FieldSpec> fields;
  const FieldSpec* field(std::string_view name) const;
  bool on(v1::BoardKind kind) const;
};

// Limits the server may configure; protocol/schema.json's "settings" name them and hold
// their defaults (schema_table.inc static_asserts the two agree).
struct SchemaLimits {
  std::size_t max_note_text = 4000;   // bytes of a note's or comment's text
  std::size_t max_long_text = 20000;  // bytes of a description
};

// Field names shared by the model's rules.
inline constexpr std::string_view kOrderField = "order";
inline constexpr std::string_view kParentField = "parent";

class Schema {
 public:
  explicit Schema(const SchemaLimits& limits = {});
  const TypeSpec* type(v1::ObjectType t) const;
  const SchemaLimits& limits() const { return limits_; }

 private:
  SchemaLimits limits_;
  std::vector<TypeSpec> types_;
};

const char* value_kind_name(ValueKind k);
bool value_has_kind(const v1::Value& v, ValueKind k);

}  // namespace tandem::model
