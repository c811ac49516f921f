#include "schema.hpp"

#include <algorithm>

namespace tandem::model {

namespace {
constexpr std::size_t kShortText = 64;    // colours, statuses, names
constexpr std::size_t kTitle = 200;       // group titles, connector labels
constexpr std::size_t kOrderKeyMax = 128; // order_key::kMaxLength

using v1::BOARD_KIND_BACKLOG;
using v1::BOARD_KIND_DISCOVERY;

FieldSpec number(const char* name) { return {name, ValueKind::kNumber}; }
FieldSpec text(const char* name, std::size_t max) { return {name, ValueKind::kText, max}; }
FieldSpec server_text(const char* name, std::size_t max) {
  return {name, ValueKind::kText, max, false, Access::kServer};
}
FieldSpec order() { return {std::string(kOrderField), ValueKind::kText, kOrderKeyMax, false, Access::kMove, Check::kOrderKey}; }
FieldSpec parent() {
  return {std::string(kParentField), ValueKind::kText, kShortText, false, Access::kMove, Check::kRef,
          {v1::OBJECT_TYPE_GROUP}};
}
FieldSpec ref(const char* name, Access access, std::vector<v1::ObjectType> types) {
  return {name, ValueKind::kText, kShortText, true, access, Check::kRef, std::move(types)};
}
}  // namespace

const FieldSpec* TypeSpec::field(std::string_view n) const {
  for (const FieldSpec& f : fields)
    if (f.name == n) return &f;
  return nullptr;
}

bool TypeSpec::on(v1::BoardKind kind) const { return std::find(boards.begin(), boards.end(), kind) != boards.end(); }

Schema::Schema(const SchemaLimits& limits) : limits_(limits) {
  const std::vector<v1::ObjectType> canvas = {v1::OBJECT_TYPE_NOTE, v1::OBJECT_TYPE_GROUP, v1::OBJECT_TYPE_EXPERIMENT};
  types_.push_back({v1::OBJECT_TYPE_NOTE, "note", {BOARD_KIND_DISCOVERY}, {
      text("text", limits.max_note_text), text("color", kShortText),
      number("x"), number("y"), number("width"), number("height"),
      order(), parent(),
      server_text("author", kShortText),
      server_text("promoted_board", kShortText), server_text("promoted_item", kShortText),
      server_text("promote_error", kTitle),
  }});
  types_.push_back({v1::OBJECT_TYPE_GROUP, "group", {BOARD_KIND_DISCOVERY}, {
      text("title", kTitle), text("color", kShortText),
      number("x"), number("y"), number("width"), number("height"),
      order(),
  }});
  types_.push_back({v1::OBJECT_TYPE_CONNECTOR, "connector", {BOARD_KIND_DISCOVERY}, {
      ref("from", Access::kClient, canvas), ref("to", Access::kClient, canvas),
      text("label", kTitle), text("color", kShortText),
  }});
  types_.push_back({v1::OBJECT_TYPE_COMMENT, "comment", {BOARD_KIND_DISCOVERY, BOARD_KIND_BACKLOG}, {
      ref("target", Access::kCreate, {v1::OBJECT_TYPE_NOTE, v1::OBJECT_TYPE_GROUP, v1::OBJECT_TYPE_CONNECTOR,
                                      v1::OBJECT_TYPE_EXPERIMENT, v1::OBJECT_TYPE_BACKLOG_ITEM}),
      {"text", ValueKind::kText, limits.max_note_text, true},
      server_text("author", kShortText),
      {"created_ms", ValueKind::kInteger, 0, false, Access::kServer},
  }});
  types_.push_back({v1::OBJECT_TYPE_VOTE, "vote", {BOARD_KIND_DISCOVERY, BOARD_KIND_BACKLOG}, {
      server_text("voter", kShortText),
      {"target", ValueKind::kText, kShortText, false, Access::kServer, Check::kRef,
       {v1::OBJECT_TYPE_NOTE, v1::OBJECT_TYPE_GROUP, v1::OBJECT_TYPE_EXPERIMENT, v1::OBJECT_TYPE_BACKLOG_ITEM}},
  }});
  types_.push_back({v1::OBJECT_TYPE_EXPERIMENT, "experiment", {BOARD_KIND_DISCOVERY}, {
      text("hypothesis", 2000), text("metric", 500),
      {"result", ValueKind::kText, kShortText, false, Access::kClient, Check::kEnum, {},
       {"pending", "validated", "invalidated"}},
      text("color", kShortText),
      number("x"), number("y"), number("width"), number("height"),
      order(), parent(),
  }});
  types_.push_back({v1::OBJECT_TYPE_BACKLOG_ITEM, "backlog_item", {BOARD_KIND_BACKLOG}, {
      {"title", ValueKind::kText, limits.max_note_text, true},
      text("description", limits.max_long_text),
      {"status", ValueKind::kText, kShortText, false, Access::kClient, Check::kColumn},
      number("estimate"),
      {"tags", ValueKind::kTextList, 40, false, Access::kClient, Check::kNone, {}, {}, 20},
      text("assignee", kShortText),
      order(),
      server_text("source_board", kShortText), server_text("source_note", kShortText),
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
