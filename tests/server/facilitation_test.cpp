// Facilitation through the real server, judged on the bytes each connection
// receives (protocol/SPEC.md FAC-*, VIS-*): what a member may not see never reaches
// its connection, live, on catch-up and after a restart.
//
// "Raw bytes": every ServerMessage a connection receives is kept re-encoded (a
// parsed message keeps unknown fields, so its encoding holds every byte that came);
// the tests search them for ids, texts and member ids.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "server.hpp"
#include "support/ops.hpp"
#include "support/server_fixture.hpp"
#include "support/test_client.hpp"

namespace tandem {
namespace {

using namespace std::chrono_literals;
using namespace tandem::testing;

// A connection and everything it received, as bytes.
struct Seen {
  explicit Seen(std::uint16_t port) : c(std::make_unique<TestClient>(port)) {}
  std::unique_ptr<TestClient> c;
  std::string bytes;

  std::optional<v1::ServerMessage> wait(const std::function<bool(const v1::ServerMessage&)>& pred,
                                        const std::string& what = "message") {
    return c->wait_for(
        [&](const v1::ServerMessage& m) {
          bytes += m.SerializeAsString();
          return pred(m);
        },
        10s, what);
  }
  v1::Welcome join(const std::string& board, const std::string& client_id, std::uint64_t last_seen,
                   const std::string& token) {
    c->send(join_msg(board, client_id, last_seen, token));
    auto m = wait([](const v1::ServerMessage& m) { return m.has_welcome(); }, "welcome");
    return m ? m->welcome() : v1::Welcome();
  }
  // Everything up to seq `s` arrived (as a change, possibly empty (VIS-5), or an ack).
  void upto(std::uint64_t s) {
    wait([&](const v1::ServerMessage& m) {
      return (m.has_change() && m.change().seq() >= s) || (m.has_ack() && m.ack().seq() >= s);
    }, "seq " + std::to_string(s));
  }
  bool holds(const std::string& needle) {
    for (const auto& m : c->drain()) bytes += m.SerializeAsString();
    return bytes.find(needle) != std::string::npos;
  }
  // Sends one change; its Ack or Reject.
  v1::ServerMessage answer(std::uint64_t client_seq, std::initializer_list<v1::Op> ops) {
    c->send(submit({change(client_seq, ops)}));
    auto m = wait([&](const v1::ServerMessage& m) {
      return (m.has_ack() && m.ack().client_seq() == client_seq) ||
             (m.has_reject() && m.reject().client_seq() == client_seq);
    }, "answer to " + std::to_string(client_seq));
    return m.value_or(v1::ServerMessage());
  }
  // Sends one change that must be applied; its seq.
  std::uint64_t applied(std::uint64_t client_seq, std::initializer_list<v1::Op> ops) {
    v1::ServerMessage m = answer(client_seq, ops);
    EXPECT_TRUE(m.has_ack()) << "change " << client_seq << " refused: " << m.reject().message();
    return m.ack().seq();
  }
};

class FacilitationTest : public BoardFixture {};

const std::string kSecretId = "secret-note-7q";
const std::string kSecretText = "TOP-SECRET-TEXT-42";
const std::string kGoneId = "gone-note-3x";
const std::string kCommentId = "secret-comment-9z";

TEST_F(FacilitationTest, APrivateNoteReachesNoOtherEditorUntilRevealed) {  // FAC-4, VIS-1, VIS-5
  Seen o(port), a(port), b(port);
  o.join(board, "client-o", 0, owner);
  a.join(board, "client-a", 0, alice);
  b.join(board, "client-b", 0, bob);
  const std::uint64_t before = o.applied(1, {create_note("public-1", "hello")});
  o.applied(2, {private_writing(true)});
  a.applied(1, {create_note(kSecretId, kSecretText)});
  a.applied(2, {update_text(kSecretId, kSecretText + "-edited"), comment_on(kCommentId, kSecretId, kSecretText)});
  a.applied(3, {create_note(kGoneId, kSecretText)});
  a.applied(4, {move_object(kSecretId, "a0")});
  const std::uint64_t last = a.applied(5, {delete_object(kGoneId)});

  // Live: every seq arrives (empty where all was filtered), none of the bytes.
  b.upto(last);
  for (const std::string& secret : {kSecretId, kSecretText, kGoneId, kCommentId})
    EXPECT_FALSE(b.holds(secret)) << "live: " << secret;
  // The author has it all (her own changes came back as acks: a second connection).
  {
    Seen a2(port);
    a2.join(board, "client-a2", 0, alice);
    EXPECT_TRUE(a2.holds(kSecretId));
    EXPECT_TRUE(a2.holds(kCommentId));
  }

  auto joined_bytes = [&](std::uint64_t last_seen, const std::string& client) {
    Seen j(port);
    v1::Welcome w = j.join(board, client, last_seen, bob);
    EXPECT_EQ(w.head_seq(), last);
    if (last_seen) {
      EXPECT_EQ(w.changes_size(), static_cast<int>(last - last_seen)) << "contiguous seqs (VIS-5)";
    }
    return j.bytes;
  };
  for (int round = 0; round < 2; ++round) {  // before and after a restart
    const std::string when = round ? "after restart: " : "";
    const std::string from0 = joined_bytes(0, "client-b0-" + std::to_string(round));
    const std::string middle = joined_bytes(before, "client-bm-" + std::to_string(round));
    for (const std::string& secret : {kSecretId, kSecretText, kGoneId, kCommentId}) {
      EXPECT_EQ(from0.find(secret), std::string::npos) << when << "snapshot: " << secret;
      EXPECT_EQ(middle.find(secret), std::string::npos) << when << "catch-up: " << secret;
    }
    if (round == 0) {
      o.c.reset();
      a.c.reset();
      b.c.reset();
      restart();
    }
  }

  // Reveal: now everyone gets everything, older changes too (VIS-1).
  Seen o2(port), b2(port);
  o2.join(board, "client-o", last, owner);
  b2.join(board, "client-b", last, bob);
  const std::uint64_t reveal = o2.applied(3, {private_writing(false)});
  auto m = b2.wait([&](const v1::ServerMessage& m) { return m.has_change() && m.change().seq() == reveal; });
  ASSERT_TRUE(m);
  EXPECT_TRUE(b2.holds(kSecretId));
  EXPECT_TRUE(b2.holds(kSecretText));
  EXPECT_TRUE(b2.holds(kGoneId));
  Seen late(port);
  v1::Welcome w = late.join(board, "client-b-late", before, bob);
  EXPECT_EQ(w.changes_size(), static_cast<int>(reveal - before));
  EXPECT_TRUE(late.holds(kSecretId));
  EXPECT_TRUE(late.holds(kCommentId));
}

TEST_F(FacilitationTest, FacilitatorsSeePrivateNotesExceptInAuthorAloneMode) {  // FAC-4, VIS-1
  Seen o(port), f(port), a(port), b(port);
  o.join(board, "client-o", 0, owner);
  f.join(board, "client-f", 0, fran);
  a.join(board, "client-a", 0, alice);
  b.join(board, "client-b", 0, bob);
  o.applied(1, {private_writing(true, v1::PRIVATE_AUDIENCE_AUTHOR_AND_FACILITATORS)});
  std::uint64_t s = a.applied(1, {create_note("for-facilitators", "shared with facilitators")});
  f.upto(s);
  b.upto(s);
  EXPECT_TRUE(f.holds("for-facilitators"));
  EXPECT_FALSE(b.holds("for-facilitators"));

  o.applied(2, {private_writing(false)});
  o.applied(3, {private_writing(true, v1::PRIVATE_AUDIENCE_AUTHOR)});
  s = a.applied(2, {create_note("author-alone", "nobody else")});
  o.upto(s);
  f.upto(s);
  b.upto(s);
  for (Seen* x : {&o, &f, &b}) EXPECT_FALSE(x->holds("author-alone"));
  Seen a2(port);
  a2.join(board, "client-a2", 0, alice);
  EXPECT_TRUE(a2.holds("author-alone"));
  // A facilitator joining now: in neither its snapshot.
  Seen f2(port);
  f2.join(board, "client-f2", 0, fran);
  EXPECT_FALSE(f2.holds("author-alone"));
  EXPECT_FALSE(f2.holds("nobody else"));
}

TEST_F(FacilitationTest, AnOpenAnonymousVoteTellsNobodyButTheVoter) {  // FAC-6, VIS-2, VIS-4
  Seen o(port), a(port), b(port);
  o.join(board, "client-o", 0, owner);
  a.join(board, "client-a", 0, alice);
  b.join(board, "client-b", 0, bob);
  o.applied(1, {create_note("idea-1", "one"), create_note("idea-2", "two")});
  std::uint64_t s = o.applied(2, {open_voting("session-1", "Which first?", 2, 1, {}, true)});
  b.upto(s);
  b.bytes.clear();  // from here on: nothing of Alice's votes
  for (const auto& m : b.c->drain()) (void)m;
  a.applied(1, {add_vote("alice-vote-1", "idea-1")});
  s = a.applied(2, {add_vote("alice-vote-2", "idea-2")});
  a.applied(3, {remove_vote("alice-vote-2")});
  s = a.applied(4, {add_vote("alice-vote-3", "idea-2")});
  b.upto(s);
  for (const char* secret : {"alice-vote-1", "alice-vote-2", "alice-vote-3", "m-alice"})
    EXPECT_FALSE(b.holds(secret)) << secret;
  // Turnout reaches facilitators only (VIS-4); the votes themselves nobody else.
  o.upto(s);
  EXPECT_FALSE(o.holds("alice-vote-1"));
  EXPECT_TRUE(o.holds("m-alice"));
  // A joiner: no vote, no turnout in its snapshot.
  Seen j(port);
  v1::Welcome w = j.join(board, "client-b2", 0, bob);
  const std::string snap = w.snapshot().SerializeAsString();
  EXPECT_EQ(snap.find("alice-vote"), std::string::npos);
  EXPECT_EQ(snap.find("m-alice"), std::string::npos);
  EXPECT_EQ(w.snapshot().facilitation().turnout_size(), 0);
  // The voter keeps her own.
  Seen a2(port);
  v1::Welcome wa = a2.join(board, "client-a2", 0, alice);
  EXPECT_NE(wa.snapshot().SerializeAsString().find("alice-vote-1"), std::string::npos);

  // Closing: counts for everyone, no voters named.
  s = o.applied(3, {close_voting()});
  auto m = b.wait([&](const v1::ServerMessage& m) { return m.has_change() && m.change().seq() == s; });
  ASSERT_TRUE(m);
  const v1::VotingResult* result = nullptr;
  for (const auto& op : m->change().ops())
    if (op.has_voting_result()) result = &op.voting_result();
  ASSERT_NE(result, nullptr);
  ASSERT_EQ(result->tallies_size(), 2);
  EXPECT_EQ(result->tallies(0).count(), 1u);
  EXPECT_EQ(result->tallies(0).voters_size(), 0);
  const std::string closing = m->SerializeAsString();
  EXPECT_EQ(closing.find("alice-vote"), std::string::npos);
  EXPECT_EQ(closing.find("m-alice"), std::string::npos);
  EXPECT_EQ(closing.find("Alice"), std::string::npos);
}

TEST_F(FacilitationTest, AnonymousObjectsNameNobodyUntilNamesAreShown) {  // FAC-5, VIS-3
  Seen o(port), a(port), b(port);
  o.join(board, "client-o", 0, owner);
  a.join(board, "client-a", 0, alice);
  b.join(board, "client-b", 0, bob);
  o.applied(1, {anonymous_phase("write")});
  std::uint64_t s = o.applied(2, {set_phase("write")});
  b.upto(s);
  b.bytes.clear();
  (void)b.c->drain();
  a.applied(1, {create_note("anon-note", "who wrote this?")});
  s = a.applied(2, {update_text("anon-note", "still nobody"), add_vote("anon-dot", "anon-note")});
  b.upto(s);
  EXPECT_TRUE(b.holds("anon-note"));
  for (const char* who : {"Alice", "m-alice", "client-a"}) EXPECT_FALSE(b.holds(who)) << who;
  // Her own other connection knows; a joiner's snapshot does not.
  Seen j(port);
  v1::Welcome w = j.join(board, "client-b2", 0, bob);
  const std::string snap = w.snapshot().SerializeAsString();
  EXPECT_NE(snap.find("anon-note"), std::string::npos);
  EXPECT_EQ(snap.find("Alice"), std::string::npos);
  EXPECT_EQ(snap.find("m-alice"), std::string::npos);
  // Names shown: Authors tells everyone.
  s = o.applied(3, {show_names(true)});
  auto m = b.wait([&](const v1::ServerMessage& m) { return m.has_change() && m.change().seq() == s; });
  ASSERT_TRUE(m);
  bool authors = false;
  for (const auto& op : m->change().ops())
    if (op.has_authors())
      for (const auto& a : op.authors().authors()) authors |= a.id() == "anon-note" && a.author() == "Alice";
  EXPECT_TRUE(authors);
}

// One change that opens an anonymous phase, writes in it and removes the phase again
// leaves no anonymous phase behind, but an anonymous note: it must still name nobody.
TEST_F(FacilitationTest, AnAnonymousNoteMadeAndItsPhaseRemovedInOneChangeNamesNobody) {  // FAC-5, VIS-3
  Seen f(port), b(port);
  f.join(board, "client-f", 0, fran);
  b.join(board, "client-b", 0, bob);
  b.bytes.clear();  // from here on: nothing of who Fran is
  (void)b.c->drain();
  const std::uint64_t s = f.applied(1, {anonymous_phase("write"), set_phase("write"),
                                        create_note("sneaky-note", "who wrote this?"), set_agenda({})});
  b.upto(s);
  EXPECT_TRUE(b.holds("sneaky-note"));
  for (const char* who : {"Fran", "m-fran", "client-f"}) EXPECT_FALSE(b.holds(who)) << who;
  Seen j(port);
  const std::string snap = j.join(board, "client-b2", 0, bob).snapshot().SerializeAsString();
  EXPECT_NE(snap.find("sneaky-note"), std::string::npos);
  EXPECT_EQ(snap.find("Fran"), std::string::npos);
  EXPECT_EQ(snap.find("m-fran"), std::string::npos);
}

TEST_F(FacilitationTest, VotesPastTheBudgetAreRejected) {  // FAC-6
  Seen o(port), a(port);
  o.join(board, "client-o", 0, owner);
  a.join(board, "client-a", 0, alice);
  o.applied(1, {create_note("n1", "1"), create_note("n2", "2"), create_note("n3", "3")});
  o.applied(2, {open_voting("budget", "Which first?", 2, 1, {}, false)});
  a.applied(1, {add_vote("v1", "n1")});
  EXPECT_EQ(a.answer(2, {add_vote("v2", "n1")}).reject().code(), v1::REJECT_CODE_OVER_BUDGET);  // per object
  a.applied(3, {add_vote("v3", "n2")});
  EXPECT_EQ(a.answer(4, {add_vote("v4", "n3")}).reject().code(), v1::REJECT_CODE_OVER_BUDGET);  // per person
}

TEST_F(FacilitationTest, ALockedObjectRejectsAnEditorAndAcceptsAFacilitator) {  // FAC-7
  Seen o(port), f(port), a(port);
  o.join(board, "client-o", 0, owner);
  f.join(board, "client-f", 0, fran);
  a.join(board, "client-a", 0, alice);
  a.applied(1, {create_note("locked-1", "x")});
  o.applied(1, {set_lock("locked-1", true)});
  EXPECT_EQ(a.answer(2, {update_text("locked-1", "y")}).reject().code(), v1::REJECT_CODE_BOARD_LOCKED);
  f.applied(1, {update_text("locked-1", "by fran")});
  a.applied(3, {create_note("free-1", "still free")});
  o.applied(2, {set_lock("", true)});
  EXPECT_EQ(a.answer(4, {create_note("free-2", "no")}).reject().code(), v1::REJECT_CODE_BOARD_LOCKED);
  f.applied(2, {create_note("free-3", "yes")});
}

TEST_F(FacilitationTest, TwoClientsComputeTheSameRemainingTime) {  // FAC-3
  Seen o(port);
  o.join(board, "client-o", 0, owner);
  o.applied(1, {timer_op(v1::TIMER_ACTION_START, 60000)});
  // Two clients whose clocks are wrong by +5 s and -3 s; each keeps the offset of
  // the answer with the shortest round trip (Welcome, then Pongs).
  struct Clock {
    std::int64_t skew_ms;
    std::int64_t now() const {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch()).count() + skew_ms;
    }
  };
  auto remaining = [&](Clock clock, const std::string& client) {
    Seen s(port);
    const std::int64_t t0 = clock.now();
    v1::Welcome w = s.join(board, client, 0, bob);
    const std::int64_t t1 = clock.now();
    EXPECT_GT(w.server_time_ms(), 0);
    std::int64_t best_rtt = t1 - t0, offset = w.server_time_ms() - (t0 + t1) / 2;
    for (std::uint64_t n = 1; n <= 5; ++n) {
      v1::ClientMessage ping;
      ping.mutable_ping()->set_nonce(n);
      const std::int64_t p0 = clock.now();
      s.c->send(ping);
      auto pong = s.wait([&](const v1::ServerMessage& m) { return m.has_pong() && m.pong().nonce() == n; });
      const std::int64_t p1 = clock.now();
      if (!pong) break;
      EXPECT_GT(pong->pong().server_time_ms(), 0);
      if (p1 - p0 < best_rtt) {
        best_rtt = p1 - p0;
        offset = pong->pong().server_time_ms() - (p0 + p1) / 2;
      }
    }
    const v1::Timer& t = w.snapshot().facilitation().timer();
    EXPECT_TRUE(t.running());
    return std::pair{t.ends_at_ms(), offset};
  };
  const Clock fast{5000}, slow{-3000};
  auto [ends_a, off_a] = remaining(fast, "client-ta");
  auto [ends_b, off_b] = remaining(slow, "client-tb");
  // The same instant on both clients: what each would show.
  const std::int64_t left_a = ends_a - (fast.now() + off_a);
  const std::int64_t left_b = ends_b - (slow.now() + off_b);
  EXPECT_LE(std::llabs(left_a - left_b), 100) << left_a << " vs " << left_b;
  EXPECT_GT(left_a, 50000);
  EXPECT_LE(left_a, 60100);
}

TEST_F(FacilitationTest, APrivateNoteInAnAnonymousPhaseGivesFacilitatorsTheMemberIdNotTheName) {  // VIS-3, FAC-4
  Seen o(port), a(port), f(port);
  o.join(board, "client-o", 0, owner);
  a.join(board, "client-a", 0, alice);
  f.join(board, "client-f", 0, fran);
  o.applied(1, {anonymous_phase("w"), set_phase("w"), private_writing(true)});
  const std::uint64_t seq = a.applied(1, {create_note(kSecretId, kSecretText)});
  auto got = f.wait([&](const v1::ServerMessage& m) { return m.has_change() && m.change().seq() == seq; }, "the note");
  ASSERT_TRUE(got);
  ASSERT_EQ(got->change().ops_size(), 2);  // Fran may see it (author and facilitators), and the count
  EXPECT_EQ(got->change().ops(0).create().id(), kSecretId);
  EXPECT_EQ(got->change().author_id(), "m-alice");  // her replica stamps private_to from it
  EXPECT_EQ(got->change().author(), "");            // but no name (VIS-3)
  EXPECT_EQ(got->change().client_id(), "");
}

TEST_F(FacilitationTest, AnAckCarriesTheDerivedOpsAsTheSenderMaySeeThem) {  // ACK-4, FAC-9, VIS-4
  Seen o(port), a(port);
  o.join(board, "client-o", 0, owner);
  a.join(board, "client-a", 0, alice);
  o.applied(1, {private_writing(true)});
  // Alice's private note: her ack holds her PrivateCount, so her replica has the count.
  v1::ServerMessage ack = a.answer(1, {create_note(kSecretId, kSecretText)});
  ASSERT_TRUE(ack.has_ack());
  ASSERT_EQ(ack.ack().derived_size(), 1);
  EXPECT_EQ(ack.ack().derived(0).private_count().member_id(), "m-alice");
  EXPECT_EQ(ack.ack().derived(0).private_count().count(), 1u);
  // Reveal: the owner's ack holds the Revealed note it may see.
  ack = o.answer(2, {private_writing(false)});
  ASSERT_TRUE(ack.has_ack());
  ASSERT_EQ(ack.ack().derived_size(), 1);  // Revealed (the counts drop to none with it, FAC-4)
  bool revealed = false;
  for (const v1::Op& d : ack.ack().derived())
    if (d.has_revealed()) revealed = d.revealed().objects_size() == 1 && d.revealed().objects(0).id() == kSecretId;
  EXPECT_TRUE(revealed);
  // A session vote of an editor: the Turnout is the facilitators' (VIS-4), not in her ack.
  o.applied(3, {open_voting("s1", "Which first?", 2, 2, {}, false)});
  ack = a.answer(2, {add_vote("v1", kSecretId)});
  ASSERT_TRUE(ack.has_ack()) << ack.reject().message();
  EXPECT_EQ(ack.ack().derived_size(), 0);
  // Closing: the facilitator's ack holds the result.
  ack = o.answer(4, {close_voting()});
  ASSERT_TRUE(ack.has_ack());
  ASSERT_EQ(ack.ack().derived_size(), 1);
  ASSERT_TRUE(ack.ack().derived(0).has_voting_result());
  ASSERT_EQ(ack.ack().derived(0).voting_result().tallies_size(), 1);
  EXPECT_EQ(ack.ack().derived(0).voting_result().tallies(0).count(), 1u);
  // A plain edit's ack stays as small as before: no derived ops.
  ack = a.answer(3, {update_text(kSecretId, "plain")});
  ASSERT_TRUE(ack.has_ack());
  EXPECT_EQ(ack.ack().derived_size(), 0);
}

TEST_F(FacilitationTest, PresenceNamingAPrivateNoteIsStrippedForOthers) {  // VIS-1
  Seen o(port), a(port), b(port);
  o.join(board, "client-o", 0, owner);
  a.join(board, "client-a", 0, alice);
  b.join(board, "client-b", 0, bob);
  o.applied(1, {create_note("open-note", "visible")});
  o.applied(2, {private_writing(true)});
  const std::uint64_t s = a.applied(1, {create_note(kSecretId, kSecretText)});
  b.upto(s);
  o.upto(s);
  v1::ClientMessage p;
  p.mutable_presence()->mutable_cursor()->set_x(7);
  p.mutable_presence()->add_selection(kSecretId);
  p.mutable_presence()->add_selection("open-note");
  p.mutable_presence()->set_editing(kSecretId);
  a.c->send(p);
  auto from_alice = [](const v1::ServerMessage& m) {
    return m.has_presence() && m.presence().member().client_id() == "client-a" && m.presence().presence().cursor().x() == 7;
  };
  auto mb = b.wait(from_alice, "alice's presence at bob");
  ASSERT_TRUE(mb);
  ASSERT_EQ(mb->presence().presence().selection_size(), 1);
  EXPECT_EQ(mb->presence().presence().selection(0), "open-note");
  EXPECT_EQ(mb->presence().presence().editing(), "");
  EXPECT_FALSE(b.holds(kSecretId));
  // The facilitator (author and facilitators) sees it all.
  auto mo = o.wait(from_alice, "alice's presence at the owner");
  ASSERT_TRUE(mo);
  EXPECT_EQ(mo->presence().presence().selection_size(), 2);
  EXPECT_EQ(mo->presence().presence().editing(), kSecretId);
  // And a joiner's welcome lists her presence stripped too.
  Seen j(port);
  v1::Welcome w = j.join(board, "client-b2", 0, bob);
  EXPECT_FALSE(j.holds(kSecretId));
  bool listed = false;
  for (const auto& mp : w.present())
    if (mp.member().client_id() == "client-a") {
      listed = true;
      EXPECT_EQ(mp.presence().selection_size(), 1);
    }
  EXPECT_TRUE(listed);
}

}  // namespace
}  // namespace tandem
