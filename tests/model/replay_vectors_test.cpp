// Golden replay vectors: protocol/testdata/replay_vectors.txt, shared with the web
// client's replica (web-client/src/sync/replay.test.ts runs the same file through
// BoardModel). Scripted scenarios run through model::BoardState; every accepted
// change is written out with the deterministic snapshot after it.
//
// The file must be current: ReplayVectors.FileIsCurrent regenerates it in memory and
// compares. After a change to the model or to the scenarios below, regenerate with
//
//   TANDEM_REGENERATE_VECTORS=1 <build>/tests/model_test --gtest_filter='ReplayVectors.*'
//
// File format (text, one record a line, fields separated by one space; '#' lines are
// comments for readers and are ignored by both sides):
//   scenario NAME          starts a scenario: an empty board
//   meta B64               base64 (RFC 4648, padded) of the BoardMeta (BoardState::reset)
//   change B64             base64 of a SequencedChange the server accepted, in seq order
//   state B64              base64 of BoardState::snapshot() (a BoardSnapshot) after the
//                          preceding change; every change is followed by its state
// Only accepted changes appear; ops the server refuses are tried by the generator
// (and must be refused) but never written.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "model/board_state.hpp"
#include "support/apply_context.hpp"
#include "model/order_key.hpp"
#include "model/templates.hpp"
#include "support/ops.hpp"

namespace tandem::model {
namespace {

using namespace tandem::testing;

constexpr const char* kVectorsPath = TANDEM_SOURCE_DIR "/protocol/testdata/replay_vectors.txt";
constexpr const char* kRegenerateHint =
    "regenerate with: TANDEM_REGENERATE_VECTORS=1 <build>/tests/model_test --gtest_filter='ReplayVectors.*' "
    "(and check the diff of protocol/testdata/replay_vectors.txt)";

// ---------- base64 (RFC 4648, padded) ----------

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string b64_encode(const std::string& in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += {kB64[v >> 18], kB64[(v >> 12) & 63], kB64[(v >> 6) & 63], kB64[v & 63]};
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += {kB64[v >> 18], kB64[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += {kB64[v >> 18], kB64[(v >> 12) & 63], kB64[(v >> 6) & 63], '='};
  }
  return out;
}

std::string b64_decode(const std::string& in) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const char* p = std::char_traits<char>::find(kB64, 64, c);
    if (!p) throw std::runtime_error("bad base64");
    acc = (acc << 6) | static_cast<unsigned>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

// ---------- op builders ----------

v1::Value text_v(const std::string& s) {
  v1::Value v;
  v.set_text(s);
  return v;
}
v1::Value num_v(double d) {
  v1::Value v;
  v.set_number(d);
  return v;
}
v1::Value list_v(std::initializer_list<std::string> items) {
  v1::Value v;
  v.mutable_list();  // set even when empty
  for (const auto& i : items) v.mutable_list()->add_items(i);
  return v;
}

using Fields = std::vector<std::pair<std::string, v1::Value>>;

v1::Op create(const std::string& id, v1::ObjectType type, const Fields& fields) {
  v1::Op op;
  auto* c = op.mutable_create();
  c->set_id(id);
  c->set_type(type);
  for (const auto& [n, v] : fields) {
    auto* f = c->add_fields();
    f->set_name(n);
    *f->mutable_value() = v;
  }
  return op;
}
v1::Op update(const std::string& id, const Fields& fields) {
  v1::Op op;
  auto* u = op.mutable_update();
  u->set_id(id);
  for (const auto& [n, v] : fields) {
    auto* f = u->add_fields();
    f->set_name(n);
    *f->mutable_value() = v;
  }
  return op;
}
v1::Op restore(const std::string& id, const Fields& fields) {
  v1::Op op;
  auto* r = op.mutable_restore();
  r->set_id(id);
  for (const auto& [n, v] : fields) {
    auto* f = r->add_fields();
    f->set_name(n);
    *f->mutable_value() = v;
  }
  return op;
}
v1::Op update_board(std::optional<std::string> title, std::optional<std::vector<std::string>> columns) {
  v1::Op op;
  auto* u = op.mutable_update_board();
  if (title) u->set_title(*title);
  if (columns) {
    u->set_set_columns(true);
    for (const auto& c : *columns) u->add_columns(c);
  }
  return op;
}
v1::Op promote_done(std::uint64_t seq, bool ok, const std::string& error) {
  v1::Op op;
  op.mutable_promote_done()->set_promote_seq(seq);
  op.mutable_promote_done()->set_ok(ok);
  op.mutable_promote_done()->set_error(error);
  return op;
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

const std::string kE = "\xC3\xA9";              // é: 2 bytes, 1 UTF-16 unit
const std::string kEmoji = "\xF0\x9F\x98\x80";  // U+1F600: 4 bytes, 2 UTF-16 units
const std::string kCjk = "\xE6\x97\xA5";        // 日: 3 bytes, 1 UTF-16 unit

// ---------- scenario recorder ----------

// Runs changes through a BoardState the way the sequencer stamps them
// (server/board/sequencer.cpp) and records the accepted ones.
class Scenario {
 public:
  Scenario(std::ostream& out, const std::string& name, const v1::BoardMeta& meta) : out_(out) {
    state_.reset(meta);
    out_ << "scenario " << name << "\n";
    out_ << "meta " << b64_encode(meta.SerializeAsString()) << "\n";
  }

  // A member's change; must be accepted. Returns its seq.
  std::uint64_t ok(const std::string& what, const std::vector<v1::Op>& ops, const std::string& member = "m-alice",
                   const std::string& name = "Alice") {
    return record(what, ops, name, member, "client-" + member, ++client_seq_, false);
  }
  // A change of an old log, logged before author_id existed: the voter is the name.
  std::uint64_t legacy(const std::string& what, const std::vector<v1::Op>& ops, const std::string& name) {
    return record(what, ops, name, "", "client-legacy", ++client_seq_, false);
  }
  // A server change (templates, promote answers, rebalance, promoted items).
  std::uint64_t system(const std::string& what, const std::vector<v1::Op>& ops) {
    return record(what, ops, "tandem", "tandem", "tandem", 0, true);
  }
  // A member's change the server must refuse: tried, never written.
  void refused(const std::string& what, const std::vector<v1::Op>& ops, v1::RejectCode code,
               const std::string& member = "m-alice", const std::string& name = "Alice") {
    google::protobuf::RepeatedPtrField<v1::Op> list;
    for (const auto& op : ops) *list.Add() = op;
    const std::string before = state_.snapshot().SerializeAsString();
    auto r = state_.apply_live(&list, context_of(state_.seq() + 1, name, now(), false, member, "client-" + member));
    if (!r) throw std::runtime_error("scenario: '" + what + "' was accepted but must be refused");
    if (r->code != code)
      throw std::runtime_error("scenario: '" + what + "' refused with " + v1::RejectCode_Name(r->code) +
                               ", expected " + v1::RejectCode_Name(code) + ": " + r->message);
    if (state_.snapshot().SerializeAsString() != before)
      throw std::runtime_error("scenario: refused '" + what + "' changed the state");
    out_ << "# refused (not logged): " << what << " -> " << v1::RejectCode_Name(code) << "\n";
  }
  // The server's rebalance, when the model asks for one (ORDER-4).
  std::uint64_t rebalance(const std::string& what) {
    if (!state_.needs_rebalance()) throw std::runtime_error("scenario: no rebalance needed at " + what);
    v1::Op op = state_.rebalance_op();
    std::uint64_t seq = system(what, {op});
    if (state_.needs_rebalance()) throw std::runtime_error("scenario: still needs a rebalance after " + what);
    return seq;
  }
  const BoardState& state() const { return state_; }

 private:
  std::int64_t now() const { return 1767225600000 + static_cast<std::int64_t>(state_.seq()) * 1000; }

  std::uint64_t record(const std::string& what, const std::vector<v1::Op>& ops, const std::string& name,
                       const std::string& member, const std::string& client_id, std::uint64_t client_seq,
                       bool system) {
    v1::SequencedChange sc;
    sc.set_seq(state_.seq() + 1);
    sc.set_author(name);
    for (const auto& op : ops) *sc.add_ops() = op;
    sc.set_client_id(client_id);
    sc.set_client_seq(client_seq);
    sc.set_server_time_ms(now());
    sc.set_system(system);
    // As the sequencer (server/board/sequencer.cpp): the model sees the member id on
    // every change and appends the derived ops (FAC-9); the log carries the member id
    // only where replay needs it (needs_author_id: votes, SetReady, creates while
    // private writing is on); replay() of the logged change must give the same state.
    const bool private_before = state_.facilitation().private_writing();
    ApplyContext ctx{sc.seq(), name, sc.server_time_ms(), system, member, client_id};
    if (auto r = state_.apply_live(sc.mutable_ops(), ctx))
      throw std::runtime_error("scenario: '" + what + "' refused: " + v1::RejectCode_Name(r->code) + " " + r->message);
    bool creates = false, toggles = false, needs = false;
    for (const auto& op : ops) {
      needs = needs || op.has_add_vote() || op.has_remove_vote() || op.has_set_ready();
      creates = creates || op.has_create() || op.has_restore();
      toggles = toggles || op.has_set_private_writing();
    }
    if (needs || (creates && (private_before || toggles || state_.facilitation().private_writing())))
      sc.set_author_id(member);
    out_ << "# seq " << sc.seq() << ": " << what << "\n";
    out_ << "change " << b64_encode(sc.SerializeAsString()) << "\n";
    out_ << "state " << b64_encode(state_.snapshot().SerializeAsString()) << "\n";
    return sc.seq();
  }

  Schema schema_;
  BoardState state_{schema_};
  std::ostream& out_;
  std::uint64_t client_seq_ = 0;
};

v1::BoardMeta meta(const std::string& id, v1::BoardKind kind, const std::string& title,
                   v1::BoardTemplate t = v1::BOARD_TEMPLATE_UNSPECIFIED) {
  v1::BoardMeta m;
  m.set_id(id);
  m.set_title(title);
  m.set_kind(kind);
  m.set_template_(t);
  m.set_created_ms(1767225600000);
  return m;
}

void objects_scenario(std::ostream& out) {
  Scenario s(out, "objects-and-tombstones", meta("vec-objects", v1::BOARD_KIND_DISCOVERY, "Objects"));
  s.ok("create note n1", {create("n1", v1::OBJECT_TYPE_NOTE, {{"text", text_v("hello")}, {"x", num_v(10)},
                                                             {"y", num_v(-20.5)}, {"color", text_v("#fff4b8")},
                                                             {"order", text_v("a0")}})});
  s.ok("create n2 and n3 in one change",
       {create("n2", v1::OBJECT_TYPE_NOTE, {{"text", text_v("")}, {"width", num_v(160)}}),
        create("n3", v1::OBJECT_TYPE_NOTE, {{"text", text_v("third")}, {"parent", text_v("")}})}, "m-bob", "Bob");
  s.ok("update n1 text and x (other fields keep)", {update("n1", {{"text", text_v("hello world")}, {"x", num_v(0)}})});
  s.ok("update n2 by Bob (author stays Bob)", {update("n2", {{"text", text_v("by bob")}, {"height", num_v(1e-3)}})},
       "m-carol", "Carol");
  s.ok("delete n1: tombstone", {delete_object("n1")});
  s.refused("update of tombstone n1", {update("n1", {{"text", text_v("again")}})}, v1::REJECT_CODE_DELETED);
  s.refused("move of tombstone n1", {move_object("n1", "a1")}, v1::REJECT_CODE_DELETED);
  s.refused("re-create of id n1", {create("n1", v1::OBJECT_TYPE_NOTE, {{"text", text_v("x")}})},
            v1::REJECT_CODE_DUPLICATE_ID);
  s.refused("all or nothing: update n2 then delete missing", {update("n2", {{"text", text_v("lost")}}), delete_object("nope")},
            v1::REJECT_CODE_UNKNOWN_OBJECT);
  s.ok("update and delete in one change", {update("n3", {{"text", text_v("last words")}}), delete_object("n3")});
  s.ok("create experiment", {create("e1", v1::OBJECT_TYPE_EXPERIMENT,
                                    {{"hypothesis", text_v("We believe " + kEmoji)}, {"metric", text_v("signups")},
                                     {"result", text_v("pending")}, {"order", text_v("a1")}})});
  s.refused("experiment result not in enum", {update("e1", {{"result", text_v("maybe")}})},
            v1::REJECT_CODE_BAD_FIELD);
  s.ok("experiment validated", {update("e1", {{"result", text_v("validated")}, {"metric", text_v("signups +12%")}})});
}

void canvas_scenario(std::ostream& out) {
  Scenario s(out, "groups-connectors-comments-votes", meta("vec-canvas", v1::BOARD_KIND_DISCOVERY, "Canvas"));
  s.ok("create group g1 and g2", {create("g1", v1::OBJECT_TYPE_GROUP, {{"title", text_v("Lane")}, {"order", text_v("a0")}}),
                                  create("g2", v1::OBJECT_TYPE_GROUP, {{"title", text_v("Other")}, {"order", text_v("a1")}})});
  s.ok("create notes in g1", {create("n1", v1::OBJECT_TYPE_NOTE, {{"text", text_v("one")}, {"parent", text_v("g1")},
                                                                  {"order", text_v("a2")}}),
                              create("n2", v1::OBJECT_TYPE_NOTE, {{"text", text_v("two")}, {"parent", text_v("g1")},
                                                                  {"order", text_v("a3")}})});
  s.ok("create experiment in g2", {create("e1", v1::OBJECT_TYPE_EXPERIMENT, {{"hypothesis", text_v("h")},
                                                                             {"parent", text_v("g2")},
                                                                             {"order", text_v("a4")}})});
  s.ok("move n1 to g2 and before n2", {move_object("n1", "a2V", std::string("g2"))});
  s.ok("move n2 out of its group (parent \"\")", {move_object("n2", "Zz", std::string(""))});
  s.ok("move keeps parent when absent", {move_object("n1", "a5")});
  s.refused("parent must be a group", {move_object("n2", "a6", std::string("n1"))}, v1::REJECT_CODE_BAD_FIELD);
  s.refused("order changes by a move only", {update("n2", {{"order", text_v("a7")}})}, v1::REJECT_CODE_BAD_FIELD);
  s.ok("connector n1 -> e1", {create("c1", v1::OBJECT_TYPE_CONNECTOR, {{"from", text_v("n1")}, {"to", text_v("e1")},
                                                                       {"label", text_v("leads to")}})});
  s.ok("relabel connector, point it at g1", {update("c1", {{"label", text_v("")}, {"to", text_v("g1")}})});
  s.ok("comment on n1", {comment_on("k1", "n1", "why?")},
       "m-bob", "Bob");
  s.ok("edit the comment", {update("k1", {{"text", text_v("why? " + kCjk)}})}, "m-bob", "Bob");
  s.ok("Alice votes twice on n1", {add_vote("v1", "n1"), add_vote("v2", "n1")});
  s.ok("Bob votes on e1 and g2", {add_vote("v3", "e1"), add_vote("v4", "g2")}, "m-bob", "Bob");
  s.refused("Bob removes Alice's vote", {remove_vote("v1")}, v1::REJECT_CODE_NOT_ALLOWED, "m-bob", "Bob");
  s.refused("votes are not deleted with delete", {delete_object("v2")}, v1::REJECT_CODE_BAD_OP);
  s.ok("Alice removes her vote v2", {remove_vote("v2")});
  s.refused("vote on a tombstone vote id", {remove_vote("v2")}, v1::REJECT_CODE_DELETED);
  s.ok("Alice, same name other member, votes", {add_vote("v5", "n2")}, "m-alice-2", "Alice");
  s.refused("same display name, other member, removes v1", {remove_vote("v1")}, v1::REJECT_CODE_NOT_ALLOWED,
            "m-alice-2", "Alice");
  s.ok("delete n1: its votes, comment and connector stay (inert)", {delete_object("n1")});
  s.refused("vote on tombstone n1", {add_vote("v6", "n1")}, v1::REJECT_CODE_DELETED);
  s.refused("comment on tombstone n1",
            {comment_on("k2", "n1", "late")},
            v1::REJECT_CODE_DELETED);
  s.ok("delete group g2 (e1 keeps its parent)", {delete_object("g2")});
  s.ok("board title", {update_board(std::string("Canvas, renamed"), std::nullopt)}, "m-owner", "Owner");
}

void order_scenario(std::ostream& out) {
  Scenario s(out, "moves-and-rebalance", meta("vec-order", v1::BOARD_KIND_DISCOVERY, "Order"));
  s.ok("create n1..n3", {create("n1", v1::OBJECT_TYPE_NOTE, {{"text", text_v("1")}, {"order", text_v("a0")}}),
                         create("n2", v1::OBJECT_TYPE_NOTE, {{"text", text_v("2")}, {"order", text_v("a1")}}),
                         create("n3", v1::OBJECT_TYPE_NOTE, {{"text", text_v("3")}, {"order", text_v("a2")}}),
                         create("g1", v1::OBJECT_TYPE_GROUP, {{"title", text_v("g")}, {"order", text_v("Zz")}})});
  std::string lo = "a0", hi = "a1";
  for (int i = 0; i < 4; ++i) {  // n3 squeezed between n1 and n2, then back and forth
    std::string k = *order_key::between(lo, hi);
    s.ok("move n3 to " + k, {move_object("n3", k)});
    if (i % 2) lo = k;
    else hi = k;
  }
  s.ok("two moves in one change keep objects together", {move_object("n1", "a3"), move_object("n2", "a3V")});
  s.ok("delete g1 (tombstones are not rebalanced)", {delete_object("g1")});
  const std::string long_key = "a3" + std::string(70, 'V');  // valid, past kRebalanceLength (64)
  s.ok("move n1 to a 72-byte key (ORDER-4)", {move_object("n1", long_key)});
  s.rebalance("server rebalance: short keys for every ordered object");
  s.ok("move after rebalance", {move_object("n2", *order_key::between(std::nullopt, s.state().find("n1")->text("order")))});
  s.refused("order key past 128 bytes", {move_object("n2", "a3" + std::string(130, 'V'))}, v1::REJECT_CODE_TOO_LONG);
  s.refused("invalid order key", {move_object("n2", "a00")}, v1::REJECT_CODE_BAD_FIELD);
}

void backlog_scenario(std::ostream& out) {
  Scenario s(out, "backlog-columns-items", meta("vec-backlog", v1::BOARD_KIND_BACKLOG, "Backlog"));
  s.ok("create items", {create("i1", v1::OBJECT_TYPE_BACKLOG_ITEM, {{"title", text_v("Login")}, {"status", text_v("todo")},
                                                                    {"estimate", num_v(3)}, {"order", text_v("a0")},
                                                                    {"tags", list_v({"auth", "web"})}}),
                        create("i2", v1::OBJECT_TYPE_BACKLOG_ITEM, {{"title", text_v("Logout")}, {"order", text_v("a1")},
                                                                    {"description", text_v("long\ntext")}})});
  s.refused("status not a column", {update("i2", {{"status", text_v("review")}})}, v1::REJECT_CODE_BAD_FIELD);
  s.ok("set columns", {update_board(std::nullopt, std::vector<std::string>{"todo", "review", "done", kE + "t" + kE})},
       "m-owner", "Owner");
  s.ok("status to the new column", {update("i2", {{"status", text_v("review")}, {"assignee", text_v("bob")}})});
  s.ok("status to a multi-byte column", {update("i1", {{"status", text_v(kE + "t" + kE)}})});
  s.ok("tags to empty list, estimate 0.5", {update("i1", {{"tags", list_v({})}, {"estimate", num_v(0.5)}})});
  s.ok("reorder i2 before i1", {move_object("i2", "Zz")});
  s.ok("comment and vote on i1",
       {comment_on("k1", "i1", "LGTM " + kEmoji),
        add_vote("v1", "i1")},
       "m-bob", "Bob");
  s.system("promoted item arrives (system create, PROMOTE-*)",
       {create("i3", v1::OBJECT_TYPE_BACKLOG_ITEM, {{"title", text_v("From discovery")}, {"status", text_v("todo")},
                                                    {"order", text_v("a2")}, {"source_board", text_v("vec-promote")},
                                                    {"source_note", text_v("n1")}})});
  s.ok("title and columns in one op; i2 keeps a removed column",
       {update_board(std::string("Backlog 2"), std::vector<std::string>{"todo", "done"})}, "m-owner", "Owner");
  s.refused("columns given twice", {update_board(std::nullopt, std::vector<std::string>{"a", "a"})},
            v1::REJECT_CODE_BAD_FIELD, "m-owner", "Owner");
  s.ok("delete i2", {delete_object("i2")});
  s.ok("Bob removes his vote", {remove_vote("v1")}, "m-bob", "Bob");
}

void promote_scenario(std::ostream& out) {
  Scenario s(out, "promote", meta("vec-promote", v1::BOARD_KIND_DISCOVERY, "Promote"));
  s.ok("notes", {create("n1", v1::OBJECT_TYPE_NOTE, {{"text", text_v("Ship it")}}),
                 create("n2", v1::OBJECT_TYPE_NOTE, {{"text", text_v("Caf" + kE + " " + kEmoji)}}),
                 create("n3", v1::OBJECT_TYPE_NOTE, {{"text", text_v("three")}}),
                 create("n4", v1::OBJECT_TYPE_NOTE, {{"text", text_v("four")}})});
  const std::uint64_t p1 = s.ok("promote n1", {promote("n1", "vec-backlog", "i3")});
  s.refused("promote n1 again while pending", {promote("n1", "vec-backlog", "i9")}, v1::REJECT_CODE_ALREADY_PROMOTED);
  const std::uint64_t p2 = s.ok("promote n2", {promote("n2", "vec-backlog", "i4")});
  s.ok("edit n2 while pending (outbox keeps the title it had)", {update("n2", {{"text", text_v("edited")}})});
  s.system("promote of n1 done ok", {promote_done(p1, true, "")});
  s.refused("promote n1 after success", {promote("n1", "vec-backlog", "i9")}, v1::REJECT_CODE_ALREADY_PROMOTED);
  // 301 bytes: "x" then 150 two-byte characters; byte 200 falls inside one.
  s.system("promote of n2 failed: error cut at 200 bytes on a character boundary",
           {promote_done(p2, false, "x" + repeat(kE, 150))});
  const std::uint64_t p3 = s.ok("promote n2 again after the failure", {promote("n2", "vec-backlog", "i5")});
  s.system("failed again: 4-byte characters (2 UTF-16 units each) cut at 200 bytes",
           {promote_done(p3, false, "ab" + repeat(kEmoji, 60))});
  const std::uint64_t p4 = s.ok("promote n3", {promote("n3", "vec-backlog", "i6")});
  s.system("failed: short error", {promote_done(p4, false, "the backlog refused the item")});
  const std::uint64_t p5 = s.ok("promote n3 once more", {promote("n3", "vec-backlog", "i7")});
  s.system("failed: 3-byte characters, 200 bytes exactly kept whole", {promote_done(p5, false, "ab" + repeat(kCjk, 66))});
  const std::uint64_t p6 = s.ok("promote n4", {promote("n4", "vec-backlog", "i8")});
  s.ok("delete n4 while its promote is pending", {delete_object("n4")});
  s.system("failure answer for a deleted note: its tombstone loses the links", {promote_done(p6, false, "too late")});
  const std::uint64_t p7 = s.ok("promote n3 a third time", {promote("n3", "vec-backlog", "i10")});
  s.ok("edit n3 while its promote is pending", {update("n3", {{"color", text_v("#dcfce7")}})});
  s.system("ok clears the outbox and keeps the links", {promote_done(p7, true, "")});
}

void legacy_vote_scenario(std::ostream& out) {
  Scenario s(out, "votes-of-old-logs", meta("vec-legacy", v1::BOARD_KIND_DISCOVERY, "Legacy"));
  s.ok("note", {create("n1", v1::OBJECT_TYPE_NOTE, {{"text", text_v("old")}})});
  s.legacy("vote without author_id: the voter is the display name", {add_vote("v1", "n1")}, "Dana");
  s.ok("a member votes", {add_vote("v2", "n1")}, "m-dana", "Dana");
  s.legacy("removed by the same name", {remove_vote("v1")}, "Dana");
}

void utf8_scenario(std::ostream& out) {
  Scenario s(out, "utf8-limits", meta("vec-utf8", v1::BOARD_KIND_DISCOVERY, repeat(kE, 100)));
  s.ok("group title: 100 two-byte characters = 200 bytes",
       {create("g1", v1::OBJECT_TYPE_GROUP, {{"title", text_v(repeat(kE, 100))}})});
  s.refused("group title of 201 bytes", {create("g2", v1::OBJECT_TYPE_GROUP, {{"title", text_v(repeat(kE, 100) + "x")}})},
            v1::REJECT_CODE_TOO_LONG);
  s.ok("connector label: 50 emoji = 200 bytes, 100 UTF-16 units",
       {create("n1", v1::OBJECT_TYPE_NOTE, {{"text", text_v(repeat(kEmoji, 1000))}}),
        create("c1", v1::OBJECT_TYPE_CONNECTOR, {{"from", text_v("g1")}, {"to", text_v("n1")},
                                                 {"label", text_v(repeat(kEmoji, 50))}})});
  s.refused("note text of 4001 bytes", {update("n1", {{"text", text_v(repeat(kEmoji, 1000) + "x")}})},
            v1::REJECT_CODE_TOO_LONG);
  s.refused("board title of 201 bytes (50 emoji and one more byte)", {update_board(repeat(kEmoji, 50) + "!", std::nullopt)},
            v1::REJECT_CODE_TOO_LONG, "m-owner", "Owner");
  s.ok("board title: 50 emoji = 200 bytes", {update_board(repeat(kEmoji, 50), std::nullopt)}, "m-owner", "Owner");
  s.ok("note color: 64 bytes mixed", {update("n1", {{"color", text_v(repeat(kCjk, 20) + "ab" + kE)}})});
  s.ok("author name with multi-byte characters",
       {create("n2", v1::OBJECT_TYPE_NOTE, {{"text", text_v("\xE2\x80\x8F" "rtl")}})}, "m-zoe", "Zo" + kE + " " + kEmoji);
}

void template_scenario(std::ostream& out, const std::string& name, v1::BoardTemplate t) {
  Scenario s(out, name, meta("vec-" + name, v1::BOARD_KIND_DISCOVERY, "Template", t));
  auto ops = template_ops(t);
  std::vector<v1::Op> list(ops.begin(), ops.end());
  s.system("template layout (seq 1, system)", list);
  for (const auto& op : list)
    if (op.create().type() == v1::OBJECT_TYPE_NOTE) {
      s.ok("edit a starter note", {update(op.create().id(), {{"text", text_v("Teams of 5-20 " + kE)}})});
      break;
    }
  s.ok("a note in the last lane", {create("n1", v1::OBJECT_TYPE_NOTE, {{"text", text_v("mine")},
                                                                        {"parent", text_v(list.back().create().type() == v1::OBJECT_TYPE_GROUP
                                                                                              ? list.back().create().id()
                                                                                              : list.at(0).create().id())},
                                                                        {"order", text_v("Zz")}})});
  s.ok("vote on the first lane", {add_vote("v1", list.at(0).create().id())});
}

// ---------- facilitation (FAC-*) ----------

const char* kFacM = "m-fay";
const char* kFacN = "Fay";

void private_writing_scenario(std::ostream& out) {
  Scenario s(out, "fac-private-writing-reveal", meta("vec-private", v1::BOARD_KIND_DISCOVERY, "Private"));
  s.ok("a public note and group", {create("pub", v1::OBJECT_TYPE_NOTE, {{"text", text_v("public")}}),
                                   create("g1", v1::OBJECT_TYPE_GROUP, {{"title", text_v("Lane")}})});
  s.ok("private writing on (author and facilitators)", {private_writing(true)}, kFacM, kFacN);
  s.ok("Alice writes two private notes: PrivateCount 2",
       {create("a1", v1::OBJECT_TYPE_NOTE, {{"text", text_v("mine " + kE)}, {"parent", text_v("g1")}}),
        create("a2", v1::OBJECT_TYPE_NOTE, {{"text", text_v("also mine")}})});
  s.ok("Bob writes one", {create("b1", v1::OBJECT_TYPE_NOTE, {{"text", text_v("bob's")}})}, "m-bob", "Bob");
  s.refused("Bob comments on Alice's private note",
            {comment_on("k0", "a1", "?")},
            v1::REJECT_CODE_NOT_ALLOWED, "m-bob", "Bob");
  s.refused("a vote on a private note", {add_vote("v0", "a1")}, v1::REJECT_CODE_NOT_VOTABLE, "m-bob", "Bob");
  s.ok("Alice comments on her own private note: private too",
       {comment_on("k1", "a1", "note to self")});
  s.ok("Alice edits a private note (no author_id, no derived op)", {update("a2", {{"text", text_v("edited")}})});
  s.ok("Alice deletes a private note: the tombstone keeps private_to", {delete_object("a2")});
  s.ok("audience: author alone", {private_writing(true, v1::PRIVATE_AUDIENCE_AUTHOR)}, kFacM, kFacN);
  s.ok("Bob writes an author-only note", {create("b2", v1::OBJECT_TYPE_NOTE, {{"text", text_v("secret")}})}, "m-bob",
       "Bob");
  s.ok("a dot vote during private writing is public", {add_vote("v1", "pub")}, "m-bob", "Bob");
  s.ok("private writing off: Revealed, counts gone", {private_writing(false)}, kFacM, kFacN);
  s.ok("anyone comments on a revealed note",
       {comment_on("k2", "a1", "nice")}, "m-bob", "Bob");
}

void anonymous_scenario(std::ostream& out) {
  Scenario s(out, "fac-anonymous-phase-names-readiness", meta("vec-anon", v1::BOARD_KIND_DISCOVERY, "Anonymous"));
  s.ok("agenda: named, anonymous, discuss",
       {set_agenda({{"write", "Write", false}, {"silent", "Silent " + kEmoji, true}, {"discuss", "Discuss", false}})},
       kFacM, kFacN);
  s.refused("agenda with a repeated phase id", {set_agenda({{"a", "A", false}, {"a", "B", false}})},
            v1::REJECT_CODE_BAD_FIELD, kFacM, kFacN);
  s.ok("phase write", {set_phase("write")}, kFacM, kFacN);
  s.ok("a named note", {create("n0", v1::OBJECT_TYPE_NOTE, {{"text", text_v("named")}})});
  s.ok("Alice is ready", {set_ready(true)});
  s.ok("Bob is ready", {set_ready(true)}, "m-bob", "Bob");
  s.ok("Alice is not ready after all", {set_ready(false)});
  s.ok("phase silent (anonymous): readiness reset", {set_phase("silent")}, kFacM, kFacN);
  s.refused("a phase not in the agenda", {set_phase("nope")}, v1::REJECT_CODE_UNKNOWN_OBJECT, kFacM, kFacN);
  s.ok("anonymous note, comment and vote",
       {create("n1", v1::OBJECT_TYPE_NOTE, {{"text", text_v("who wrote this?")}}),
        comment_on("k1", "n0", "hm"), add_vote("v1", "n0")});
  s.ok("Bob's anonymous note", {create("n2", v1::OBJECT_TYPE_NOTE, {{"text", text_v("me")}})}, "m-bob", "Bob");
  s.ok("Bob is ready in the silent phase", {set_ready(true)}, "m-bob", "Bob");
  s.ok("show names: Authors", {show_names(true)}, kFacM, kFacN);
  s.ok("hide names again", {show_names(false)}, kFacM, kFacN);
  s.ok("show names, then SetPhase hides them and resets readiness", {show_names(true), set_phase("discuss")}, kFacM,
       kFacN);
  s.ok("agenda without the current phase: no phase", {set_agenda({{"wrap", "Wrap up", false}})}, kFacM, kFacN);
  s.ok("follow the facilitator", {set_follow(true)}, kFacM, kFacN);
  s.ok("stop following", {set_follow(false)}, kFacM, kFacN);
}

void voting_scenario(std::ostream& out) {
  Scenario s(out, "fac-voting-session", meta("vec-voting", v1::BOARD_KIND_DISCOVERY, "Voting"));
  s.ok("three notes and a dot vote", {create("n1", v1::OBJECT_TYPE_NOTE, {{"text", text_v("one")}}),
                                      create("n2", v1::OBJECT_TYPE_NOTE, {{"text", text_v("two")}}),
                                      create("n3", v1::OBJECT_TYPE_NOTE, {{"text", text_v("three")}}),
                                      add_vote("dot", "n3")});
  s.refused("max per object above votes per person", {open_voting("s1", "Pick", 2, 3, {}, false)},
            v1::REJECT_CODE_BAD_FIELD, kFacM, kFacN);
  s.ok("open session s1: 3 votes, 2 per object, on n1 and n2",
       {open_voting("s1", "Pick " + kCjk, 3, 2, {"n1", "n2"}, false)}, kFacM, kFacN);
  s.refused("a second session while one is open", {open_voting("s2", "x", 1, 1, {}, false)},
            v1::REJECT_CODE_NOT_ALLOWED, kFacM, kFacN);
  s.refused("vote outside the scope", {add_vote("v0", "n3")}, v1::REJECT_CODE_NOT_VOTABLE);
  s.ok("Alice votes twice on n1: Turnout 2", {add_vote("va1", "n1"), add_vote("va2", "n1")});
  s.refused("a third vote on n1", {add_vote("va3", "n1")}, v1::REJECT_CODE_OVER_BUDGET);
  s.ok("Alice votes on n2", {add_vote("va3", "n2")});
  s.refused("a fourth vote", {add_vote("va4", "n2")}, v1::REJECT_CODE_OVER_BUDGET);
  s.ok("Bob votes on n2 and n1", {add_vote("vb1", "n2"), add_vote("vb2", "n1")}, "m-bob", "Bob");
  s.ok("Bob takes one back: Turnout 1", {remove_vote("vb2")}, "m-bob", "Bob");
  s.ok("Carol votes on n2", {add_vote("vc1", "n2")}, "m-carol", "Carol " + kE);
  s.ok("close: VotingResult, most first, names sorted", {close_voting()}, kFacM, kFacN);
  s.refused("close with no session open", {close_voting()}, v1::REJECT_CODE_NOT_ALLOWED, kFacM, kFacN);
  s.refused("reuse of a session id", {open_voting("s1", "again", 1, 1, {}, false)}, v1::REJECT_CODE_DUPLICATE_ID,
            kFacM, kFacN);
  s.ok("dot votes off", {set_dot_votes(false)}, kFacM, kFacN);
  s.refused("a dot vote while dot votes are off", {add_vote("d2", "n1")}, v1::REJECT_CODE_NOT_VOTABLE);
  s.ok("anonymous session s2 on everything", {open_voting("s2", "Secret", 2, 2, {}, true)}, kFacM, kFacN);
  s.ok("Bob votes twice on n3", {add_vote("w1", "n3"), add_vote("w2", "n3")}, "m-bob", "Bob");
  s.ok("Alice votes on n1", {add_vote("w3", "n1")});
  s.ok("close s2: tallies without names", {close_voting(), set_dot_votes(true)}, kFacM, kFacN);
  s.ok("Alice removes a vote of the closed session", {remove_vote("va1")});
}

void timer_lock_scenario(std::ostream& out) {
  // now() is 1767225600000 + 1000 * (seq - 1): each change one second later.
  Scenario s(out, "fac-timer-and-lock", meta("vec-timer", v1::BOARD_KIND_BACKLOG, "Timer"));
  s.refused("start for less than 1 s", {timer_op(v1::TIMER_ACTION_START, 999)}, v1::REJECT_CODE_BAD_FIELD, kFacM, kFacN);
  s.ok("pause of a stopped timer: nothing", {timer_op(v1::TIMER_ACTION_PAUSE)}, kFacM, kFacN);
  s.ok("start 5 min", {timer_op(v1::TIMER_ACTION_START, 300000)}, kFacM, kFacN);
  s.ok("an item", {create("i1", v1::OBJECT_TYPE_BACKLOG_ITEM, {{"title", text_v("Item")}})});
  s.ok("pause: remaining kept", {timer_op(v1::TIMER_ACTION_PAUSE)}, kFacM, kFacN);
  s.ok("add 1 min while paused", {timer_op(v1::TIMER_ACTION_ADD, 60000)}, kFacM, kFacN);
  s.ok("resume", {timer_op(v1::TIMER_ACTION_RESUME)}, kFacM, kFacN);
  s.ok("resume while running: nothing", {timer_op(v1::TIMER_ACTION_RESUME)}, kFacM, kFacN);
  s.ok("take off 10 min: ends now, never below 0", {timer_op(v1::TIMER_ACTION_ADD, -600000)}, kFacM, kFacN);
  s.ok("add 30 s while running", {timer_op(v1::TIMER_ACTION_ADD, 30000)}, kFacM, kFacN);
  s.ok("reset: stopped with the whole duration", {timer_op(v1::TIMER_ACTION_RESET)}, kFacM, kFacN);
  s.ok("lock the board", {set_lock("", true)}, kFacM, kFacN);
  s.ok("lock item i1, unlock the board", {set_lock("i1", true), set_lock("", false)}, kFacM, kFacN);
  s.refused("lock of an unknown object", {set_lock("nope", true)}, v1::REJECT_CODE_UNKNOWN_OBJECT, kFacM, kFacN);
  s.ok("the facilitator edits the locked item", {update("i1", {{"title", text_v("Locked item")}})}, kFacM, kFacN);
  s.ok("unlock i1", {set_lock("i1", false)}, kFacM, kFacN);
}

// MODEL-9: undo of a delete restores the same object; what referred to it lives again.
void restore_scenario(std::ostream& out) {
  Scenario s(out, "restore-after-delete", meta("vec-restore", v1::BOARD_KIND_DISCOVERY, "Restore"));
  const Fields n1 = {{"text", text_v("keep me " + kE)}, {"color", text_v("#fff4b8")}, {"x", num_v(40)},
                     {"parent", text_v("g1")}, {"order", text_v("a1")}};
  s.ok("a group, note n1 in it and note n2", {create("g1", v1::OBJECT_TYPE_GROUP, {{"title", text_v("Lane")}}),
                                              create("n1", v1::OBJECT_TYPE_NOTE, n1),
                                              create("n2", v1::OBJECT_TYPE_NOTE, {{"text", text_v("two")}})});
  s.ok("connector n1 -> n2", {create("c1", v1::OBJECT_TYPE_CONNECTOR, {{"from", text_v("n1")}, {"to", text_v("n2")}})});
  s.ok("Bob comments on n1 and votes on it", {comment_on("k1", "n1", "why?"), add_vote("v1", "n1")}, "m-bob", "Bob");
  s.ok("Alice deletes n1: the tombstone keeps its author", {delete_object("n1")});
  s.refused("restore of a live object", {restore("n2", {{"text", text_v("x")}})}, v1::REJECT_CODE_DUPLICATE_ID);
  s.refused("restore of an unknown id", {restore("nope", {})}, v1::REJECT_CODE_UNKNOWN_OBJECT);
  s.refused("restore forging the author", {restore("n1", {{"text", text_v("x")}, {"author", text_v("Mallory")}})},
            v1::REJECT_CODE_BAD_FIELD);
  s.refused("restore with a field checked as at create", {restore("n1", {{"parent", text_v("n2")}})},
            v1::REJECT_CODE_BAD_FIELD);
  s.refused("all or nothing: restore n1 then update a missing object",
            {restore("n1", n1), update("nope", {{"text", text_v("x")}})}, v1::REJECT_CODE_UNKNOWN_OBJECT);
  s.ok("Carol restores n1: the same object, Alice still its author", {restore("n1", n1)}, "m-carol", "Carol");
  s.ok("Alice deletes the connector and n1 in one change", {delete_object("c1"), delete_object("n1")});
  s.refused("the connector cannot come back before its end",
            {restore("c1", {{"from", text_v("n1")}, {"to", text_v("n2")}}), restore("n1", n1)},
            v1::REJECT_CODE_DELETED);
  s.ok("undo: n1 then the connector, in one change",
       {restore("n1", n1), restore("c1", {{"from", text_v("n1")}, {"to", text_v("n2")}})});
  s.ok("Bob removes his vote", {remove_vote("v1")}, "m-bob", "Bob");
  s.refused("a vote is not restored (it is added again)", {restore("v1", {})}, v1::REJECT_CODE_BAD_OP, "m-bob", "Bob");
  s.ok("the comment deleted and restored: author and created_ms kept",
       {delete_object("k1")}, "m-bob", "Bob");
  s.ok("restore the comment", {restore("k1", {{"target", text_v("n1")}, {"text", text_v("why?")}})}, "m-bob", "Bob");
}

std::string generate() {
  std::ostringstream out;
  out << "# Tandem golden replay vectors: changes the server accepted and the board state after each.\n"
         "# Generated by tests/model/replay_vectors_test.cpp from server/model (BoardState); read by that\n"
         "# test and by web-client/src/sync/replay.test.ts (BoardModel). Do not edit by hand:\n"
         "#   TANDEM_REGENERATE_VECTORS=1 <build>/tests/model_test --gtest_filter='ReplayVectors.*'\n"
         "# Lines: 'scenario NAME', 'meta B64(BoardMeta)', then pairs 'change B64(SequencedChange)' and\n"
         "# 'state B64(BoardSnapshot after it)'; base64 is RFC 4648 with padding; '#' lines are comments.\n";
  objects_scenario(out);
  canvas_scenario(out);
  order_scenario(out);
  backlog_scenario(out);
  promote_scenario(out);
  utf8_scenario(out);
  legacy_vote_scenario(out);
  template_scenario(out, "template-problem-framing", v1::BOARD_TEMPLATE_PROBLEM_FRAMING);
  template_scenario(out, "template-opportunity-solution-experiment", v1::BOARD_TEMPLATE_OPPORTUNITY_SOLUTION_EXPERIMENT);
  template_scenario(out, "template-affinity-map", v1::BOARD_TEMPLATE_AFFINITY_MAP);
  template_scenario(out, "template-retro", v1::BOARD_TEMPLATE_RETRO);
  private_writing_scenario(out);
  anonymous_scenario(out);
  voting_scenario(out);
  timer_lock_scenario(out);
  restore_scenario(out);
  return out.str();
}

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ReplayVectors, FileIsCurrent) {
  const std::string want = generate();
  if (const char* r = std::getenv("TANDEM_REGENERATE_VECTORS"); r && *r && std::string(r) != "0") {
    std::ofstream(kVectorsPath, std::ios::binary | std::ios::trunc) << want;
    std::printf("wrote %s\n", kVectorsPath);
  }
  const std::string have = read_file(kVectorsPath);
  ASSERT_FALSE(have.empty()) << "missing protocol/testdata/replay_vectors.txt: " << kRegenerateHint;
  if (have == want) return;
  std::istringstream a(have), b(want);
  std::string la, lb;
  int line = 0;
  while (true) {
    ++line;
    const bool ga = static_cast<bool>(std::getline(a, la)), gb = static_cast<bool>(std::getline(b, lb));
    if (!ga && !gb) break;
    if (!ga || !gb || la != lb) {
      FAIL() << "protocol/testdata/replay_vectors.txt is not current (first difference at line " << line
             << ":\n  file:      " << (ga ? la.substr(0, 160) : "<end>") << "\n  generated: "
             << (gb ? lb.substr(0, 160) : "<end>") << ")\n" << kRegenerateHint;
    }
  }
  FAIL() << "protocol/testdata/replay_vectors.txt is not current\n" << kRegenerateHint;
}

// The committed file, replayed as a client or a restarted server would: replay()
// of each logged change gives exactly the recorded snapshot bytes, and load() of a
// recorded snapshot gives it back.
TEST(ReplayVectors, ReplayOfTheFileGivesItsStates) {
  std::istringstream in(read_file(kVectorsPath));
  ASSERT_FALSE(in.str().empty()) << kRegenerateHint;
  Schema schema;
  BoardState state(schema);
  std::string line, scenario;
  int scenarios = 0, changes = 0;
  bool expect_state = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto sp = line.find(' ');
    ASSERT_NE(sp, std::string::npos) << line;
    const std::string kind = line.substr(0, sp), arg = line.substr(sp + 1);
    if (kind == "scenario") {
      ASSERT_FALSE(expect_state) << scenario;
      scenario = arg;
      ++scenarios;
    } else if (kind == "meta") {
      v1::BoardMeta m;
      ASSERT_TRUE(m.ParseFromString(b64_decode(arg))) << scenario;
      state.reset(m);
    } else if (kind == "change") {
      ASSERT_FALSE(expect_state) << scenario;
      v1::SequencedChange c;
      ASSERT_TRUE(c.ParseFromString(b64_decode(arg))) << scenario;
      auto r = state.replay(c);
      ASSERT_FALSE(r) << scenario << " seq " << c.seq() << ": " << r->message;
      expect_state = true;
      ++changes;
    } else if (kind == "state") {
      ASSERT_TRUE(expect_state) << scenario;
      expect_state = false;
      const std::string want = b64_decode(arg);
      v1::BoardSnapshot snap;
      ASSERT_TRUE(snap.ParseFromString(want)) << scenario << ": a snapshot that does not parse (invalid UTF-8?)";
      ASSERT_EQ(state.snapshot().SerializeAsString(), want) << scenario << " at seq " << state.seq();
      Schema s2;
      BoardState loaded(s2);
      loaded.load(snap);
      EXPECT_EQ(loaded.snapshot().SerializeAsString(), want) << scenario << " at seq " << state.seq();
    } else {
      FAIL() << "unknown line " << line.substr(0, 80);
    }
  }
  EXPECT_FALSE(expect_state);
  EXPECT_GE(scenarios, 10);
  EXPECT_GE(changes, 80);
}

// Text the model cuts (promote_error) stays valid UTF-8: the 200-byte cut never
// splits a character (a split one would not parse back from storage).
TEST(ReplayVectors, PromoteErrorIsCutOnACharacterBoundary) {
  Schema schema;
  BoardState state(schema);
  state.reset(meta("b", v1::BOARD_KIND_DISCOVERY, "B"));
  auto apply = [&](std::vector<v1::Op> ops, bool system) {
    google::protobuf::RepeatedPtrField<v1::Op> list(ops.begin(), ops.end());
    return state.apply(list, context_of(state.seq() + 1, "a", 1, system, "m"));
  };
  ASSERT_FALSE(apply({create("n1", v1::OBJECT_TYPE_NOTE, {{"text", text_v("t")}})}, false));
  const std::pair<std::string, std::string> cases[] = {
      {"x" + repeat(kE, 150), "x" + repeat(kE, 99)},
      {"ab" + repeat(kEmoji, 60), "ab" + repeat(kEmoji, 49)},
      {"ab" + repeat(kCjk, 66), "ab" + repeat(kCjk, 66)},
      {"a" + repeat(kCjk, 70), "a" + repeat(kCjk, 66)},
      {std::string(250, 'z'), std::string(200, 'z')},
  };
  for (const auto& [error, want] : cases) {
    ASSERT_FALSE(apply({promote("n1", "bl", "i" + std::to_string(state.seq()))}, false));
    ASSERT_FALSE(apply({promote_done(state.seq(), false, error)}, true));
    EXPECT_EQ(state.find("n1")->text("promote_error"), want);
    v1::BoardSnapshot back;
    EXPECT_TRUE(back.ParseFromString(state.snapshot().SerializeAsString()));
  }
}

}  // namespace
}  // namespace tandem::model
