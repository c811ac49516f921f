// Schema: the table generated from protocol/schema.json (server/model/schema_table.inc)
// holds what the hand-written table of schema.cpp held: spot checks of every kind of
// row (limits that follow SchemaLimits, access, checks, refs, enums, lists, boards). The
// web client's src/sync/schema.test.ts checks the committed .inc is what the JSON makes.
#include "model/schema.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/order_key.hpp"

namespace tandem::model {
namespace {

const FieldSpec& field(const Schema& s, v1::ObjectType t, std::string_view name) {
  const TypeSpec* type = s.type(t);
  EXPECT_NE(type, nullptr) << v1::ObjectType_Name(t);
  const FieldSpec* f = type ? type->field(name) : nullptr;
  EXPECT_NE(f, nullptr) << v1::ObjectType_Name(t) << "." << name;
  static const FieldSpec missing{"<missing>"};
  return f ? *f : missing;
}

std::vector<std::string> field_names(const Schema& s, v1::ObjectType t) {
  std::vector<std::string> out;
  for (const FieldSpec& f : s.type(t)->fields) out.push_back(f.name);
  return out;
}

using Types = std::vector<v1::ObjectType>;

TEST(SchemaTable, HasEveryObjectTypeWithItsNameAndBoards) {
  const Schema s;
  EXPECT_EQ(s.type(v1::OBJECT_TYPE_UNSPECIFIED), nullptr);
  struct Row {
    v1::ObjectType type;
    const char* name;
    bool discovery, backlog;
  };
  for (const Row& r : std::vector<Row>{{v1::OBJECT_TYPE_NOTE, "note", true, false},
                                       {v1::OBJECT_TYPE_GROUP, "group", true, false},
                                       {v1::OBJECT_TYPE_CONNECTOR, "connector", true, false},
                                       {v1::OBJECT_TYPE_COMMENT, "comment", true, true},
                                       {v1::OBJECT_TYPE_VOTE, "vote", true, true},
                                       {v1::OBJECT_TYPE_EXPERIMENT, "experiment", true, false},
                                       {v1::OBJECT_TYPE_BACKLOG_ITEM, "backlog_item", false, true}}) {
    const TypeSpec* t = s.type(r.type);
    ASSERT_NE(t, nullptr) << r.name;
    EXPECT_EQ(t->type, r.type);
    EXPECT_EQ(t->name, r.name);
    EXPECT_EQ(t->on(v1::BOARD_KIND_DISCOVERY), r.discovery) << r.name;
    EXPECT_EQ(t->on(v1::BOARD_KIND_BACKLOG), r.backlog) << r.name;
    EXPECT_FALSE(t->on(v1::BOARD_KIND_UNSPECIFIED)) << r.name;
  }
}

TEST(SchemaTable, FieldsInTheirOrder) {
  const Schema s;
  using V = std::vector<std::string>;
  EXPECT_EQ(field_names(s, v1::OBJECT_TYPE_NOTE),
            (V{"text", "color", "x", "y", "width", "height", "order", "parent", "author", "promoted_board",
               "promoted_item", "promote_error", "private_to", "private_author_only", "anonymous", "locked"}));
  EXPECT_EQ(field_names(s, v1::OBJECT_TYPE_GROUP), (V{"title", "color", "x", "y", "width", "height", "order", "private_to", "private_author_only", "anonymous", "locked"}));
  EXPECT_EQ(field_names(s, v1::OBJECT_TYPE_CONNECTOR), (V{"from", "to", "label", "color", "private_to", "private_author_only", "anonymous", "locked"}));
  EXPECT_EQ(field_names(s, v1::OBJECT_TYPE_COMMENT), (V{"target", "text", "author", "created_ms", "private_to", "private_author_only", "anonymous", "locked"}));
  EXPECT_EQ(field_names(s, v1::OBJECT_TYPE_VOTE), (V{"voter", "target", "session", "anonymous"}));
  EXPECT_EQ(field_names(s, v1::OBJECT_TYPE_EXPERIMENT),
            (V{"hypothesis", "metric", "result", "color", "x", "y", "width", "height", "order", "parent", "private_to", "private_author_only", "anonymous", "locked"}));
  EXPECT_EQ(field_names(s, v1::OBJECT_TYPE_BACKLOG_ITEM),
            (V{"title", "description", "status", "estimate", "tags", "assignee", "order", "source_board",
               "source_note", "private_to", "private_author_only", "anonymous", "locked"}));
}

TEST(SchemaTable, TextLimitsFollowSchemaLimits) {
  const Schema defaults;
  EXPECT_EQ(field(defaults, v1::OBJECT_TYPE_NOTE, "text").max_len, 4000u);
  EXPECT_EQ(field(defaults, v1::OBJECT_TYPE_BACKLOG_ITEM, "description").max_len, 20000u);

  SchemaLimits limits;
  limits.max_note_text = 123;
  limits.max_long_text = 4567;
  const Schema s(limits);
  EXPECT_EQ(s.limits().max_note_text, 123u);
  EXPECT_EQ(field(s, v1::OBJECT_TYPE_NOTE, "text").max_len, 123u);
  EXPECT_EQ(field(s, v1::OBJECT_TYPE_COMMENT, "text").max_len, 123u);
  EXPECT_EQ(field(s, v1::OBJECT_TYPE_BACKLOG_ITEM, "title").max_len, 123u);
  EXPECT_EQ(field(s, v1::OBJECT_TYPE_BACKLOG_ITEM, "description").max_len, 4567u);
  // Fixed lengths do not move with the settings.
  EXPECT_EQ(field(s, v1::OBJECT_TYPE_NOTE, "color").max_len, 64u);
  EXPECT_EQ(field(s, v1::OBJECT_TYPE_GROUP, "title").max_len, 200u);
  EXPECT_EQ(field(s, v1::OBJECT_TYPE_CONNECTOR, "label").max_len, 200u);
  EXPECT_EQ(field(s, v1::OBJECT_TYPE_NOTE, "promote_error").max_len, 200u);
  EXPECT_EQ(field(s, v1::OBJECT_TYPE_EXPERIMENT, "hypothesis").max_len, 2000u);
  EXPECT_EQ(field(s, v1::OBJECT_TYPE_EXPERIMENT, "metric").max_len, 500u);
}

TEST(SchemaTable, NumbersAndIntegersHaveNoLength) {
  const Schema s;
  for (const char* n : {"x", "y", "width", "height"}) {
    const FieldSpec& f = field(s, v1::OBJECT_TYPE_NOTE, n);
    EXPECT_EQ(f.kind, ValueKind::kNumber) << n;
    EXPECT_EQ(f.max_len, 0u) << n;
    EXPECT_EQ(f.access, Access::kClient) << n;
    EXPECT_EQ(f.check, Check::kNone) << n;
  }
  EXPECT_EQ(field(s, v1::OBJECT_TYPE_BACKLOG_ITEM, "estimate").kind, ValueKind::kNumber);
  const FieldSpec& created = field(s, v1::OBJECT_TYPE_COMMENT, "created_ms");
  EXPECT_EQ(created.kind, ValueKind::kInteger);
  EXPECT_EQ(created.max_len, 0u);
  EXPECT_EQ(created.access, Access::kServer);
}

TEST(SchemaTable, BacklogStatusIsAColumnCheck) {
  const Schema s;  // outlives f: field() returns a reference into it
  const FieldSpec& f = field(s, v1::OBJECT_TYPE_BACKLOG_ITEM, "status");
  EXPECT_EQ(f.kind, ValueKind::kText);
  EXPECT_EQ(f.check, Check::kColumn);
  EXPECT_EQ(f.access, Access::kClient);
  EXPECT_EQ(f.max_len, 64u);
  EXPECT_FALSE(f.required);
}

TEST(SchemaTable, VoteFieldsAreServerOnly) {
  const Schema s;
  for (const FieldSpec& f : s.type(v1::OBJECT_TYPE_VOTE)->fields) EXPECT_EQ(f.access, Access::kServer) << f.name;
  const FieldSpec& target = field(s, v1::OBJECT_TYPE_VOTE, "target");
  EXPECT_EQ(target.check, Check::kRef);
  EXPECT_FALSE(target.required);
  EXPECT_EQ(target.ref_types, (Types{v1::OBJECT_TYPE_NOTE, v1::OBJECT_TYPE_GROUP, v1::OBJECT_TYPE_EXPERIMENT,
                                     v1::OBJECT_TYPE_BACKLOG_ITEM}));
}

TEST(SchemaTable, ServerStampedFields) {
  const Schema s;
  for (const char* n : {"author", "promoted_board", "promoted_item", "promote_error"})
    EXPECT_EQ(field(s, v1::OBJECT_TYPE_NOTE, n).access, Access::kServer) << n;
  EXPECT_EQ(field(s, v1::OBJECT_TYPE_COMMENT, "author").access, Access::kServer);
  for (const char* n : {"source_board", "source_note"})
    EXPECT_EQ(field(s, v1::OBJECT_TYPE_BACKLOG_ITEM, n).access, Access::kServer) << n;
}

TEST(SchemaTable, References) {
  const Schema s;
  const FieldSpec& target = field(s, v1::OBJECT_TYPE_COMMENT, "target");
  EXPECT_EQ(target.access, Access::kCreate);
  EXPECT_TRUE(target.required);
  EXPECT_EQ(target.check, Check::kRef);
  EXPECT_EQ(target.max_len, 64u);
  EXPECT_EQ(target.ref_types, (Types{v1::OBJECT_TYPE_NOTE, v1::OBJECT_TYPE_GROUP, v1::OBJECT_TYPE_CONNECTOR,
                                     v1::OBJECT_TYPE_EXPERIMENT, v1::OBJECT_TYPE_BACKLOG_ITEM}));
  EXPECT_TRUE(field(s, v1::OBJECT_TYPE_COMMENT, "text").required);
  EXPECT_TRUE(field(s, v1::OBJECT_TYPE_BACKLOG_ITEM, "title").required);
  for (const char* n : {"from", "to"}) {
    const FieldSpec& f = field(s, v1::OBJECT_TYPE_CONNECTOR, n);
    EXPECT_EQ(f.access, Access::kClient) << n;
    EXPECT_TRUE(f.required) << n;
    EXPECT_EQ(f.check, Check::kRef) << n;
    EXPECT_EQ(f.ref_types, (Types{v1::OBJECT_TYPE_NOTE, v1::OBJECT_TYPE_GROUP, v1::OBJECT_TYPE_EXPERIMENT})) << n;
  }
  for (v1::ObjectType t : {v1::OBJECT_TYPE_NOTE, v1::OBJECT_TYPE_EXPERIMENT}) {
    const FieldSpec& parent = field(s, t, kParentField);
    EXPECT_EQ(parent.access, Access::kMove);
    EXPECT_EQ(parent.check, Check::kRef);
    EXPECT_FALSE(parent.required);
    EXPECT_EQ(parent.ref_types, (Types{v1::OBJECT_TYPE_GROUP}));
  }
}

TEST(SchemaTable, OrderKeysAreMoveOnly) {
  const Schema s;
  for (v1::ObjectType t : {v1::OBJECT_TYPE_NOTE, v1::OBJECT_TYPE_GROUP, v1::OBJECT_TYPE_EXPERIMENT,
                           v1::OBJECT_TYPE_BACKLOG_ITEM}) {
    const FieldSpec& f = field(s, t, kOrderField);
    EXPECT_EQ(f.access, Access::kMove) << v1::ObjectType_Name(t);
    EXPECT_EQ(f.check, Check::kOrderKey) << v1::ObjectType_Name(t);
    EXPECT_EQ(f.max_len, order_key::kMaxLength) << v1::ObjectType_Name(t);
  }
  for (v1::ObjectType t : {v1::OBJECT_TYPE_CONNECTOR, v1::OBJECT_TYPE_COMMENT, v1::OBJECT_TYPE_VOTE})
    EXPECT_EQ(s.type(t)->field(kOrderField), nullptr) << v1::ObjectType_Name(t);
}

TEST(SchemaTable, EnumsAndLists) {
  const Schema s;
  const FieldSpec& result = field(s, v1::OBJECT_TYPE_EXPERIMENT, "result");
  EXPECT_EQ(result.check, Check::kEnum);
  EXPECT_EQ(result.enum_values, (std::vector<std::string>{"pending", "validated", "invalidated"}));
  EXPECT_EQ(result.max_len, 64u);
  const FieldSpec& tags = field(s, v1::OBJECT_TYPE_BACKLOG_ITEM, "tags");
  EXPECT_EQ(tags.kind, ValueKind::kTextList);
  EXPECT_EQ(tags.max_len, 40u);
  EXPECT_EQ(tags.max_items, 20u);
  EXPECT_EQ(tags.check, Check::kNone);
  // Only lists have an item limit; only enum checks have values; only ref checks have types.
  for (v1::ObjectType t : {v1::OBJECT_TYPE_NOTE, v1::OBJECT_TYPE_GROUP, v1::OBJECT_TYPE_CONNECTOR,
                           v1::OBJECT_TYPE_COMMENT, v1::OBJECT_TYPE_VOTE, v1::OBJECT_TYPE_EXPERIMENT,
                           v1::OBJECT_TYPE_BACKLOG_ITEM})
    for (const FieldSpec& f : s.type(t)->fields) {
      EXPECT_EQ(f.max_items > 0, f.kind == ValueKind::kTextList) << f.name;
      EXPECT_EQ(!f.enum_values.empty(), f.check == Check::kEnum) << f.name;
      EXPECT_EQ(!f.ref_types.empty(), f.check == Check::kRef) << f.name;
    }
}

}  // namespace
}  // namespace tandem::model
