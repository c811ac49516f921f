// Export then import gives an equal board (EXPORT-1, EXPORT-5, EXPORT-6); what a member's
// export holds (VIS-*), who gets the log, and what a bad file gets (a 400, no board).
// A real server on an ephemeral port and a real RocksDB (tests/support/server_fixture.hpp).
#include <gtest/gtest.h>

#include <google/protobuf/util/message_differencer.h>

#include <fstream>
#include <sstream>

#include "model/order_key.hpp"
#include "transfer/object_fields.hpp"
#include "transfer_fixture.hpp"

namespace tandem::testing {
namespace {

using google::protobuf::util::MessageDifferencer;
using namespace std::chrono_literals;

class RoundTripTest : public TransferFixture {};

v1::Op note(const std::string& id, const std::string& text, const std::string& order, const std::string& parent = "") {
  v1::Op op = create_object(id, v1::OBJECT_TYPE_NOTE, {text_field("text", text), text_field("order", order)});
  if (!parent.empty()) *op.mutable_create()->add_fields() = text_field("parent", parent);
  return op;
}

// A workshop: lanes, notes, a connector, an experiment, comments, dot votes, a finished
// voting session, a deleted note, locks and options (FAC-*).
void run_workshop(SyncClient& olivia, SyncClient& alice) {
  google::protobuf::RepeatedPtrField<v1::Op> ops;
  *ops.Add() = create_object("g1", v1::OBJECT_TYPE_GROUP, {text_field("title", "Went well"), text_field("order", "a0")});
  *ops.Add() = create_object("g2", v1::OBJECT_TYPE_GROUP, {text_field("title", "To improve"), text_field("order", "a1")});
  *ops.Add() = note("n1", "Pairing", "a2", "g1");
  *ops.Add() = note("n2", "Fast CI", "a3", "g1");
  *ops.Add() = note("n3", "Flaky tests", "a4", "g2");
  *ops.Add() = note("n4", "Loose idea", "a5");
  *ops.Add() = note("n5", "Gone soon", "a6");
  *ops.Add() = create_object("x1", v1::OBJECT_TYPE_EXPERIMENT,
                             {text_field("hypothesis", "Shorter stand-ups help"), text_field("metric", "focus hours"),
                              text_field("result", "validated"), text_field("parent", "g1"), text_field("order", "a7")});
  *ops.Add() = create_object("c1", v1::OBJECT_TYPE_CONNECTOR, {text_field("from", "n1"), text_field("to", "n2")});
  olivia.send(ops);
  olivia.send(one(comment_on("k1", "n1", "Agree")));
  ASSERT_TRUE(olivia.settle(0, 10s));
  ASSERT_TRUE(alice.wait_state([](const model::BoardState& s) { return s.find("c1"); }));
  alice.send(one(add_vote("va1", "n1")));
  alice.send(one(add_vote("va2", "n2")));
  alice.send(one(comment_on("k2", "x1", "Measured twice")));
  ASSERT_TRUE(alice.settle(0, 10s));
  olivia.send(one(set_agenda({{"write", "Write", false}, {"vote", "Vote", false}})));
  olivia.send(one(set_phase("vote")));
  olivia.send(one(open_voting("s1", "Top pain", 3, 2)));
  ASSERT_TRUE(olivia.settle(0, 10s));
  ASSERT_TRUE(alice.wait_state([](const model::BoardState& s) { return s.facilitation().has_voting(); }));
  alice.send(one(add_vote("sa1", "n3")));
  alice.send(one(add_vote("sa2", "n2")));
  ASSERT_TRUE(alice.settle(0, 10s));
  olivia.send(one(add_vote("so1", "n3")));
  olivia.send(one(close_voting()));
  olivia.send(one(delete_object("n5")));
  olivia.send(one(set_lock("n3", true)));
  olivia.send(one(set_dot_votes(false)));
  olivia.send(one(set_lock("", true)));
  ASSERT_TRUE(olivia.settle(0, 10s));
}

void expect_same_facilitation(const v1::Facilitation& a, const v1::Facilitation& b) {
  EXPECT_EQ(a.agenda_size(), b.agenda_size());
  for (int i = 0; i < a.agenda_size() && i < b.agenda_size(); ++i)
    EXPECT_TRUE(MessageDifferencer::Equals(a.agenda(i), b.agenda(i)));
  EXPECT_EQ(a.phase_id(), b.phase_id());
  ASSERT_EQ(a.results_size(), b.results_size());
  for (int i = 0; i < a.results_size(); ++i) EXPECT_TRUE(MessageDifferencer::Equals(a.results(i), b.results(i)));
  EXPECT_EQ(a.locked(), b.locked());
  EXPECT_EQ(a.dot_votes_off(), b.dot_votes_off());
  EXPECT_EQ(a.names_shown(), b.names_shown());
  EXPECT_EQ(a.private_writing(), b.private_writing());
}

TEST_F(RoundTripTest, DiscoveryWorkshopExportedAndImportedIsTheSameBoard) {  // EXPORT-1, EXPORT-5
  v1::BoardMeta meta = board_meta(v1::BOARD_KIND_DISCOVERY, v1::BOARD_TEMPLATE_UNSPECIFIED, "Retro / week 48");
  auto olivia = owner("retro", "c-olivia", meta);
  auto alice = client("retro", "c-alice");
  run_workshop(*olivia, *alice);
  if (HasFatalFailure()) return;

  Answer file = get("/api/boards/retro/export?format=json", admin);
  ASSERT_EQ(file.status, 200) << file.body;
  EXPECT_EQ(file.content_type, "application/json");
  EXPECT_EQ(file.disposition, "attachment; filename=\"Retro _ week 48.json\"");
  v1::BoardExport before = parse_export(file);
  ASSERT_EQ(before.snapshot().facilitation().results_size(), 1);
  EXPECT_EQ(before.head_seq(), olivia->state().seq());
  EXPECT_NE(file.body.find("\"headSeq\""), std::string::npos);  // protobuf's lowerCamelCase names

  auto [id, token] = import(file.body, "?format=json&name=Imke");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(last_import.at("title").as_string(), "Retro / week 48");
  EXPECT_EQ(last_import.at("kind").as_string(), "discovery");
  EXPECT_EQ(last_import.at("role").as_string(), "owner");
  EXPECT_FALSE(last_import.at("owner_invite").as_string().empty());
  v1::BoardExport after = export_json(id, admin, "&log=1");
  expect_same_objects(before.snapshot(), after.snapshot());
  expect_same_facilitation(before.snapshot().facilitation(), after.snapshot().facilitation());
  EXPECT_EQ(after.snapshot().settings().title(), "Retro / week 48");
  EXPECT_EQ(live_objects(after.snapshot()).count("n5"), 0u);  // a tombstone is not imported
  // The import is in the new board's log as the importer's changes, not a hidden snapshot.
  ASSERT_GT(after.log_size(), 0);
  EXPECT_EQ(static_cast<std::uint64_t>(after.log_size()), after.head_seq());
  for (const auto& c : after.log()) EXPECT_EQ(c.author(), "Imke");
  // The owner token works, and the board reloads from its log the same (LOG-2).
  auto own = std::make_unique<SyncClient>(port, id, "c-imke", token, schema);
  own->connect();
  ASSERT_TRUE(own->wait_state([&](const model::BoardState& s) { return s.seq() == after.head_seq(); }));
  restart();
  expect_same_objects(before.snapshot(), export_json(id, admin).snapshot());
  // The owner's own export is their view: others' session votes are theirs (VIS-2).
  EXPECT_EQ(live_objects(export_json(id, token).snapshot()).count("sa1"), 0u);
}

TEST_F(RoundTripTest, BacklogOfFiftyItemsByJsonAndByCsv) {  // EXPORT-4, EXPORT-5, EXPORT-6
  v1::BoardMeta meta = board_meta(v1::BOARD_KIND_BACKLOG, v1::BOARD_TEMPLATE_UNSPECIFIED, "Q4");
  auto olivia = owner("q4", "c-olivia", meta);
  google::protobuf::RepeatedPtrField<v1::Op> ops;
  v1::Op cols;
  cols.mutable_update_board()->set_set_columns(true);
  for (const char* c : {"todo", "doing", "review", "done"}) cols.mutable_update_board()->add_columns(c);
  *ops.Add() = cols;
  auto keys = *model::order_key::n_between(std::nullopt, std::nullopt, 50);
  for (int i = 0; i < 50; ++i) {
    // Ids in reverse of the board order: the order survives, not the id order.
    v1::Op op = create_item("item-" + std::to_string(100 - i), "Item \"" + std::to_string(i) + "\", with a comma",
                            keys[i]);
    auto* c = op.mutable_create();
    *c->add_fields() = text_field("status", i % 4 == 0 ? "review" : "todo");
    if (i % 3 == 0) *c->add_fields() = number_field("estimate", i / 2.0);
    if (i % 5 == 0) *c->add_fields() = text_field("description", "Line 1\nLine 2");
    *ops.Add() = std::move(op);
  }
  olivia->send(ops);
  ASSERT_TRUE(olivia->settle(0, 10s));
  v1::BoardExport before = export_json("q4", admin);

  auto [id, token] = import(transfer::to_json(before, true), "?format=json");
  ASSERT_FALSE(id.empty());
  v1::BoardExport after = export_json(id, token);
  expect_same_objects(before.snapshot(), after.snapshot());
  EXPECT_TRUE(MessageDifferencer::Equals(before.snapshot().settings(), after.snapshot().settings()));

  Answer csv = get("/api/boards/q4/export?format=csv", admin);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv.disposition, "attachment; filename=\"Q4.csv\"");
  auto [cid, ctoken] = import(csv.body, "?format=csv&title=From%20CSV", "text/csv");
  ASSERT_FALSE(cid.empty());
  EXPECT_TRUE(last_import.at("skipped_columns").as_array().empty());
  v1::BoardExport from_csv = export_json(cid, ctoken);
  EXPECT_EQ(from_csv.snapshot().settings().title(), "From CSV");
  // The same items in the same order, with the same fields; only the keys are new.
  auto in_order = [](const v1::BoardSnapshot& s) {
    std::vector<v1::ObjectState> items(s.objects().begin(), s.objects().end());
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
      return transfer::text(a, "order") < transfer::text(b, "order");
    });
    for (auto& o : items) {
      o.clear_created_seq();
      o.clear_updated_seq();
      auto* f = o.mutable_fields();
      f->erase(std::remove_if(f->begin(), f->end(), [](const v1::Field& x) { return x.name() == "order" || x.name() == "author"; }),
               f->end());
    }
    return items;
  };
  auto a = in_order(before.snapshot()), b = in_order(from_csv.snapshot());
  ASSERT_EQ(a.size(), 50u);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(MessageDifferencer::Equals(a[i], b[i])) << a[i].DebugString() << "vs\n" << b[i].DebugString();
}

TEST_F(RoundTripTest, JiraCsvImportsAsABacklogAndNamesSkippedColumns) {  // EXPORT-6
  std::ifstream in(std::string(TANDEM_TRANSFER_DATA) + "/jira_export.csv", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  auto [id, token] = import(ss.str(), "?format=csv&title=Webshop", "text/csv");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(last_import.at("kind").as_string(), "backlog");
  const auto& skipped = last_import.at("skipped_columns").as_array();
  ASSERT_EQ(skipped.size(), 11u);
  EXPECT_EQ(skipped[0].as_string(), "Issue id");
  v1::BoardExport e = export_json(id, token);
  EXPECT_EQ(live_objects(e.snapshot()).size(), 5u);
  Answer csv = get("/api/boards/" + id + "/export?format=csv", token);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.substr(0, csv.body.find("\r\n")), "id,title,status,estimate,assignee,tags,description");
  EXPECT_NE(csv.body.find("SHOP-103,\"Fix VAT rounding, totals off by 1 cent\",Done,2,,payments; tax; urgent,"),
            std::string::npos)
      << csv.body;
}

TEST_F(RoundTripTest, BadFilesGet400SayingWhatAndLeaveNoBoard) {  // EXPORT-5
  cfg.board.state.max_objects = 20;
  restart();
  auto bad = [&](const std::string& body, const std::string& query, const std::string& says) {
    Answer a = request(port, "POST", "/api/boards/import" + query, "", body);
    EXPECT_EQ(a.status, 400) << a.body;
    EXPECT_NE(a.body.find(says), std::string::npos) << a.body;
  };
  bad("{\"snapshot\": {\"objects\": [", "?format=json", "JSON");
  bad("{\"format\": 1, \"colour\": 3}", "?format=json", "colour");
  std::string many = "{\"meta\": {\"kind\": \"BOARD_KIND_DISCOVERY\"}, \"snapshot\": {\"objects\": [";
  for (int i = 0; i < 30; ++i)
    many += std::string(i ? "," : "") + "{\"id\": \"n" + std::to_string(i) + "\", \"type\": \"OBJECT_TYPE_NOTE\"}";
  bad(many + "]}}", "?format=json", "at most 20 objects");
  bad(R"({"snapshot": {"objects": [{"id": "n1", "type": "OBJECT_TYPE_NOTE",
        "fields": [{"name": "colour", "value": {"text": "red"}}]}]}})",
      "?format=json", "no field 'colour'");
  bad(R"({"meta": {"kind": "BOARD_KIND_BACKLOG"}, "snapshot": {"objects": [{"id": "n1", "type": "OBJECT_TYPE_NOTE"}]}})",
      "?format=json", "no note");
  bad("Priority\nHigh\n", "?format=csv", "title");
  bad("x", "?format=xml", "format");
  EXPECT_EQ(boards_on_disk(), 0u);
}

TEST_F(RoundTripTest, AMembersExportHoldsOnlyWhatTheirViewMaySee) {  // EXPORT-1, VIS-1
  v1::BoardMeta meta = board_meta(v1::BOARD_KIND_DISCOVERY, v1::BOARD_TEMPLATE_UNSPECIFIED, "Private");
  auto olivia = owner("priv", "c-olivia", meta);
  const std::string alice_token = server->member_token("priv", v1::ROLE_EDITOR, "Alice", "m-alice");
  const std::string bob_token = server->member_token("priv", v1::ROLE_EDITOR, "Bob", "m-bob");
  SyncClient alice(port, "priv", "c-alice", alice_token, schema), bob(port, "priv", "c-bob", bob_token, schema);
  alice.connect();
  bob.connect();
  olivia->send(one(private_writing(true, v1::PRIVATE_AUDIENCE_AUTHOR)));
  ASSERT_TRUE(olivia->settle(0, 10s));
  ASSERT_TRUE(alice.wait_state([](const model::BoardState& s) { return s.facilitation().private_writing(); }));
  alice.send(one(note("secret", "Alice's secret idea", "a0")));
  ASSERT_TRUE(alice.settle(0, 10s));
  ASSERT_TRUE(bob.wait_state([](const model::BoardState& s) { return s.facilitation().private_writing(); }));
  bob.send(one(note("mine", "Bob's own", "a1")));
  ASSERT_TRUE(bob.settle(0, 10s));

  EXPECT_EQ(live_objects(export_json("priv", bob_token).snapshot()).count("secret"), 0u);
  EXPECT_EQ(live_objects(export_json("priv", bob_token).snapshot()).count("mine"), 1u);
  EXPECT_EQ(live_objects(export_json("priv", alice_token).snapshot()).count("secret"), 1u);
  EXPECT_EQ(live_objects(export_json("priv", admin).snapshot()).count("secret"), 1u);
  Answer md = get("/api/boards/priv/export?format=markdown", bob_token);
  ASSERT_EQ(md.status, 200);
  EXPECT_EQ(md.content_type, "text/markdown; charset=utf-8");
  EXPECT_EQ(md.body.find("secret"), std::string::npos) << md.body;
  EXPECT_NE(md.body.find("Bob's own"), std::string::npos) << md.body;
  for (const char* seq : {"", "?seq=2", "?seq=3"}) {
    Answer h = get(std::string("/api/boards/priv/history") + seq, bob_token);
    ASSERT_EQ(h.status, 200) << h.body;
    EXPECT_EQ(h.body.find("secret"), std::string::npos) << seq;
  }
  // The log holds everything: the admin token's only (EXPORT-2).
  EXPECT_EQ(get("/api/boards/priv/export?format=json&log=1", bob_token).status, 403);
  EXPECT_EQ(get("/api/boards/priv/export?format=json&log=1", owner_token).status, 403);
  v1::BoardExport whole = export_json("priv", admin, "&log=1");
  EXPECT_EQ(static_cast<std::uint64_t>(whole.log_size()), whole.head_seq());
  // Restoring as Bob gives Bob's view only (EXPORT-8).
  Answer r = request(port, "POST", "/api/boards/priv/restore", bob_token, R"({"seq": 3, "title": "Bob's copy"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto copy = boost::json::parse(r.body).as_object();
  v1::BoardExport mine = export_json(std::string(copy.at("board_id").as_string()), admin);
  EXPECT_EQ(live_objects(mine.snapshot()).count("secret"), 0u);
  EXPECT_EQ(live_objects(mine.snapshot()).count("mine"), 1u);
}

TEST_F(RoundTripTest, AnImportMayBringSixteenMebibytes) {  // EXPORT-5
  std::string csv = "title,description\n";
  const std::string filler(180, 'x');
  for (int i = 0; i < 3000; ++i) csv += "Item " + std::to_string(i) + "," + filler + "\n";
  ASSERT_GT(csv.size(), 64u << 10);  // past the limit of every other request
  auto [id, token] = import(csv, "?format=csv", "text/csv");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(live_objects(export_json(id, token).snapshot()).size(), 3000u);
  std::string huge(17u << 20, 'x');
  EXPECT_NE(request(port, "POST", "/api/boards/import?format=csv", "", huge, "text/csv").status, 201);
}

TEST_F(RoundTripTest, WrongFormatsAndTokensAreRefused) {  // EXPORT-1
  v1::BoardMeta meta = board_meta(v1::BOARD_KIND_DISCOVERY, v1::BOARD_TEMPLATE_UNSPECIFIED, "D");
  auto olivia = owner("d1", "c-olivia", meta);
  EXPECT_EQ(get("/api/boards/d1/export?format=csv", owner_token).status, 400);
  EXPECT_EQ(get("/api/boards/d1/export?format=pdf", owner_token).status, 400);
  EXPECT_EQ(get("/api/boards/d1/export?format=json", "garbage").status, 401);
  EXPECT_EQ(get("/api/boards/d1/export?format=json", "").status, 401);
  EXPECT_EQ(get("/api/boards/nope/export?format=json", admin).status, 404);
  v1::BoardMeta bmeta = board_meta(v1::BOARD_KIND_BACKLOG);
  auto b = owner("b1", "c-olivia2", bmeta);
  EXPECT_EQ(get("/api/boards/b1/export?format=markdown", admin).status, 400);
}

}  // namespace
}  // namespace tandem::testing
