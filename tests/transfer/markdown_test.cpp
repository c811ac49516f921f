// The Markdown summary of a discovery board (EXPORT-3), against golden text. Pure.
#include <gtest/gtest.h>

#include "support/ops.hpp"
#include "transfer/markdown.hpp"

namespace tandem::testing {
namespace {

v1::ObjectState* object(v1::BoardSnapshot* s, const std::string& id, v1::ObjectType type,
                        std::initializer_list<v1::Field> fields) {
  v1::ObjectState* o = s->add_objects();
  o->set_id(id);
  o->set_type(type);
  for (const auto& f : fields) *o->add_fields() = f;
  return o;
}

v1::Field integer_field(const std::string& name, std::int64_t v) {
  v1::Field f;
  f.set_name(name);
  f.mutable_value()->set_integer(v);
  return f;
}

v1::BoardExport retro() {
  v1::BoardExport e;
  e.mutable_meta()->set_kind(v1::BOARD_KIND_DISCOVERY);
  e.set_exported_ms(1795960800000);   // 2026-11-29 14:00 UTC
  e.set_state_time_ms(1795957200000); // 2026-11-29 13:00 UTC
  v1::BoardSnapshot* s = e.mutable_snapshot();
  s->set_seq(42);
  s->mutable_settings()->set_title("Retro *week* 48");
  object(s, "g1", v1::OBJECT_TYPE_GROUP, {text_field("title", "Went well"), text_field("order", "a0")});
  object(s, "g2", v1::OBJECT_TYPE_GROUP, {text_field("title", "To improve"), text_field("order", "a1")});
  object(s, "n1", v1::OBJECT_TYPE_NOTE, {text_field("text", "Pairing"), text_field("parent", "g1")});
  object(s, "n2", v1::OBJECT_TYPE_NOTE, {text_field("text", "Fast CI <3"), text_field("parent", "g1")});
  object(s, "n3", v1::OBJECT_TYPE_NOTE, {text_field("text", "- flaky tests\n_again_"), text_field("parent", "g2")});
  object(s, "n4", v1::OBJECT_TYPE_NOTE, {text_field("text", "1. Loose [idea](x)")});
  object(s, "n5", v1::OBJECT_TYPE_NOTE, {text_field("text", "In a deleted lane"), text_field("parent", "g9")});
  object(s, "n6", v1::OBJECT_TYPE_NOTE, {text_field("text", "Deleted")})->set_deleted(true);
  object(s, "k1", v1::OBJECT_TYPE_COMMENT,
         {text_field("target", "n2"), text_field("text", "Yes!"), text_field("author", "Ana"), integer_field("created_ms", 2)});
  object(s, "k2", v1::OBJECT_TYPE_COMMENT,
         {text_field("target", "n2"), text_field("text", "Agree"), text_field("author", "Ben"), integer_field("created_ms", 1)});
  for (const char* v : {"v1", "v2", "v3"}) object(s, v, v1::OBJECT_TYPE_VOTE, {text_field("target", "n2")});
  object(s, "v4", v1::OBJECT_TYPE_VOTE, {text_field("target", "n1")});
  object(s, "x1", v1::OBJECT_TYPE_EXPERIMENT,
         {text_field("hypothesis", "Shorter stand-ups help"), text_field("metric", "focus hours"),
          text_field("result", "validated"), text_field("parent", "g1")});
  v1::VotingResult* r = s->mutable_facilitation()->add_results();
  r->set_id("s1");
  r->set_title("Top pain");
  r->set_votes_per_person(3);
  r->set_voters(2);
  r->set_closed_ms(1795953600000);  // 2026-11-29 12:00 UTC
  v1::Tally* t = r->add_tallies();
  t->set_target("n3");
  t->set_count(2);
  t->add_voters("Ana");
  t->add_voters("Ben");
  t = r->add_tallies();
  t->set_target("zz");
  t->set_count(1);
  return e;
}

TEST(MarkdownTest, GroupsNotesByVotesResultsExperimentsAndCommentsEscaped) {  // EXPORT-3
  EXPECT_EQ(transfer::discovery_markdown(retro()),
            "# Retro \\*week\\* 48\n"
            "\n"
            "Exported 2026-11-29 14:00 UTC; the board as of 2026-11-29 13:00 UTC (change 42).\n"
            "\n"
            "## Went well\n"
            "\n"
            "- Fast CI \\<3 (3 votes)\n"
            "  - Ben: Agree\n"
            "  - Ana: Yes\\!\n"
            "- Pairing (1 vote)\n"
            "\n"
            "## To improve\n"
            "\n"
            "- \\- flaky tests \\_again\\_\n"
            "\n"
            "## Ungrouped notes\n"
            "\n"
            "- 1\\. Loose \\[idea\\](x)\n"
            "- In a deleted lane\n"
            "\n"
            "## Voting results\n"
            "\n"
            "### Top pain\n"
            "\n"
            "Closed 2026-11-29 12:00 UTC, 2 voters, 3 votes each.\n"
            "\n"
            "1. \\- flaky tests \\_again\\_: 2 votes (Ana, Ben)\n"
            "2. (removed or not visible to you): 1 vote\n"
            "\n"
            "## Experiments\n"
            "\n"
            "### Shorter stand-ups help\n"
            "\n"
            "- Metric: focus hours\n"
            "- Result: validated\n"
            "- Lane: Went well\n");
}

TEST(MarkdownTest, EscapeLeavesNoMarkup) {
  EXPECT_EQ(transfer::md_escape("  # not a heading"), "\\# not a heading");
  EXPECT_EQ(transfer::md_escape("12) item"), "12\\) item");
  EXPECT_EQ(transfer::md_escape("a | b `c`"), "a \\| b \\`c\\`");
  EXPECT_EQ(transfer::md_escape("version 1.2"), "version 1.2");
}

}  // namespace
}  // namespace tandem::testing
