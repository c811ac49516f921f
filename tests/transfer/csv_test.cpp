// CSV of backlogs: the writer (EXPORT-4), the reader and the mapping of Tandem's and
// Jira's column names (EXPORT-6). Pure: no server.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "support/ops.hpp"
#include "transfer/csv.hpp"
#include "transfer/csv_import.hpp"
#include "transfer/object_fields.hpp"

namespace tandem::testing {
namespace {

v1::BoardExport backlog_export() {
  v1::BoardExport e;
  e.mutable_meta()->set_kind(v1::BOARD_KIND_BACKLOG);
  e.mutable_meta()->set_title("Q4 backlog");
  auto* s = e.mutable_snapshot();
  auto item = [&](const std::string& id, const std::string& order, std::initializer_list<v1::Field> fields) {
    v1::ObjectState* o = s->add_objects();
    o->set_id(id);
    o->set_type(v1::OBJECT_TYPE_BACKLOG_ITEM);
    for (const auto& f : fields) *o->add_fields() = f;
    *o->add_fields() = text_field("order", order);
  };
  v1::Field tags;
  tags.set_name("tags");
  tags.mutable_value()->mutable_list()->add_items("ux");
  tags.mutable_value()->mutable_list()->add_items("q4");
  // Ids out of board order: the order key decides (ORDER-3).
  item("a-last", "a2", {text_field("title", "Last"), text_field("status", "done")});
  item("b-first", "a0",
       {text_field("title", "First, with a comma"), text_field("status", "todo"), number_field("estimate", 2.5),
        text_field("assignee", "Ana"), tags, text_field("description", "Line one\nsays \"hi\"")});
  item("c-middle", "a1", {text_field("title", "Middle"), number_field("estimate", 3)});
  v1::ObjectState* gone = s->add_objects();  // a tombstone is not a row
  gone->set_id("d-gone");
  gone->set_type(v1::OBJECT_TYPE_BACKLOG_ITEM);
  gone->set_deleted(true);
  return e;
}

TEST(CsvTest, BacklogInBoardOrderWithRfc4180Quoting) {  // EXPORT-4
  EXPECT_EQ(transfer::backlog_csv(backlog_export()),
            "id,title,status,estimate,assignee,tags,description\r\n"
            "b-first,\"First, with a comma\",todo,2.5,Ana,ux; q4,\"Line one\nsays \"\"hi\"\"\"\r\n"
            "c-middle,Middle,,3,,,\r\n"
            "a-last,Last,done,,,,\r\n");
}

TEST(CsvTest, ReadsQuotesNewlinesCrlfAndBom) {
  std::string error;
  auto rows = transfer::parse_csv("\xEF\xBB\xBF" "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\r\nlast,,\n", &error);
  ASSERT_TRUE(rows) << error;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ((*rows)[1], (std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ((*rows)[2], (std::vector<std::string>{"last", "", ""}));
}

TEST(CsvTest, AnOpenQuoteOrNonUtf8IsRefusedSayingWhere) {
  std::string error;
  EXPECT_FALSE(transfer::parse_csv("title\nok\n\"never closed\n", &error));
  EXPECT_NE(error.find("line 3"), std::string::npos) << error;
  EXPECT_FALSE(transfer::parse_csv("title\n\xff\xfe\n", &error));
  EXPECT_NE(error.find("UTF-8"), std::string::npos) << error;
}

TEST(CsvImportTest, TandemCsvReadsBackTheSameItems) {  // EXPORT-4 then EXPORT-6
  std::string error;
  auto back = transfer::backlog_from_csv(transfer::backlog_csv(backlog_export()), &error);
  ASSERT_TRUE(back) << error;
  EXPECT_TRUE(back->skipped_columns.empty());
  const auto& objects = back->board.snapshot().objects();
  ASSERT_EQ(objects.size(), 3);
  auto find = [&](const std::string& id) -> const v1::ObjectState& {
    return *std::find_if(objects.begin(), objects.end(), [&](const auto& o) { return o.id() == id; });
  };
  EXPECT_EQ(transfer::text(find("b-first"), "description"), "Line one\nsays \"hi\"");
  EXPECT_EQ(transfer::field(find("b-first"), "estimate")->number(), 2.5);
  EXPECT_EQ(transfer::field(find("b-first"), "tags")->list().items_size(), 2);
  EXPECT_LT(transfer::text(find("b-first"), "order"), transfer::text(find("c-middle"), "order"));
  EXPECT_LT(transfer::text(find("c-middle"), "order"), transfer::text(find("a-last"), "order"));
}

TEST(CsvImportTest, JiraExportMapsWhatTheBacklogHasAndNamesTheRest) {  // EXPORT-6
  std::ifstream in(std::string(TANDEM_TRANSFER_DATA) + "/jira_export.csv", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string error;
  auto got = transfer::backlog_from_csv(ss.str(), &error);
  ASSERT_TRUE(got) << error;
  EXPECT_EQ(got->skipped_columns,
            (std::vector<std::string>{"Issue id", "Issue Type", "Project key", "Project name", "Priority", "Resolution",
                                      "Reporter", "Created", "Updated", "Sprint", "Custom field (Epic Link)"}));
  const v1::BoardSnapshot& s = got->board.snapshot();
  EXPECT_EQ(std::vector<std::string>(s.settings().columns().begin(), s.settings().columns().end()),
            (std::vector<std::string>{"To Do", "In Progress", "Done"}));
  // Rows keep the file's order; the issue key is the item's id.
  std::vector<const v1::ObjectState*> items;
  for (const auto& o : s.objects()) items.push_back(&o);
  std::sort(items.begin(), items.end(),
            [](auto* a, auto* b) { return transfer::text(*a, "order") < transfer::text(*b, "order"); });
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0]->id(), "SHOP-101");
  EXPECT_EQ(items[4]->id(), "SHOP-105");
  EXPECT_EQ(transfer::text(*items[1], "title"), "Checkout: \"Pay later\" option");
  EXPECT_EQ(transfer::text(*items[1], "description"),
            "Offer \"pay later\", like our competitors do.\nLimits:\n- up to 500 EUR\n- only for returning customers");
  EXPECT_EQ(transfer::text(*items[1], "status"), "In Progress");
  EXPECT_EQ(transfer::field(*items[0], "estimate")->number(), 5);
  EXPECT_EQ(transfer::text(*items[0], "assignee"), "Ana Souza");
  const auto& tags = transfer::field(*items[2], "tags")->list().items();
  EXPECT_EQ(std::vector<std::string>(tags.begin(), tags.end()), (std::vector<std::string>{"payments", "tax", "urgent"}));
  EXPECT_EQ(transfer::field(*items[3], "tags"), nullptr);  // no labels, no estimate
  EXPECT_EQ(transfer::field(*items[3], "estimate"), nullptr);
  EXPECT_EQ(transfer::text(*items[4], "title"), "Search suggestions in Portuguese (ação, café)");
}

TEST(CsvImportTest, AFileWithoutTitlesOrWithABadEstimateIsRefused) {
  std::string error;
  EXPECT_FALSE(transfer::backlog_from_csv("Priority,Status\nHigh,Done\n", &error));
  EXPECT_NE(error.find("title"), std::string::npos) << error;
  EXPECT_FALSE(transfer::backlog_from_csv("Summary,Story Points\nA,3\nB,lots\n", &error));
  EXPECT_NE(error.find("row 3"), std::string::npos) << error;
}

}  // namespace
}  // namespace tandem::testing
