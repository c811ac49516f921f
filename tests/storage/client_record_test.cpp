// The client record's outcome window and its codec (SPEC IDEM-1..3).
#include "storage/client_record.hpp"

#include <gtest/gtest.h>

#include "storage/keys.hpp"

namespace tandem::storage {
namespace {

Outcome applied(std::uint64_t seq) { return {Outcome::Kind::kApplied, seq}; }
Outcome rejected(std::uint64_t code) { return {Outcome::Kind::kRejected, code}; }

TEST(ClientRecord, RemembersAppliedAndRejectedOutcomes) {
  ClientRecord r;
  r.record(1, applied(10));
  r.record(2, rejected(2));
  r.record(3, applied(12));
  ASSERT_NE(r.find(2), nullptr);
  EXPECT_EQ(*r.find(2), rejected(2));
  EXPECT_EQ(*r.find(3), applied(12));
  EXPECT_EQ(r.client_seq, 3u);
  EXPECT_EQ(r.seq, 12u);
  EXPECT_EQ(r.find(4), nullptr);
}

TEST(ClientRecord, TheWindowMovesOnAndRaisesTheFloor) {
  ClientRecord r;
  for (std::uint64_t c = 1; c <= 100; ++c) r.record(c, applied(c + 1000));
  EXPECT_EQ(r.window.size(), ClientRecord::kWindow);
  EXPECT_EQ(r.floor, 100 - ClientRecord::kWindow + 1);
  EXPECT_EQ(r.find(36), nullptr);  // below the window: unknown (stale)
  EXPECT_EQ(*r.find(37), applied(1037));
}

TEST(ClientRecord, AGapInsideTheWindowIsFilledInOrder) {
  ClientRecord r;
  r.record(1, applied(1));
  r.record(5, applied(2));
  EXPECT_EQ(r.find(3), nullptr);
  r.record(3, rejected(7));
  ASSERT_EQ(r.window.size(), 3u);
  EXPECT_EQ(r.window[1].first, 3u);
  EXPECT_EQ(r.seq, 2u);  // the newest applied stays the newest client_seq's
}

TEST(ClientRecord, RoundTripsOutcomesWithTheNewestSeq) {
  ClientRecord r;
  r.member_id = "member-42";
  for (std::uint64_t c = 1; c <= 80; ++c)
    if (c % 11) r.record(c, c % 7 ? applied(c * 3) : rejected(c % 13));  // every 11th never seen
  auto back = decode_client_record(encode_client_record(r));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->member_id, r.member_id);
  EXPECT_EQ(back->client_seq, r.client_seq);
  EXPECT_EQ(back->seq, r.seq);
  EXPECT_EQ(back->floor, r.floor);
  ASSERT_EQ(back->window.size(), r.window.size());
  for (std::size_t i = 0; i < r.window.size(); ++i) {
    const auto& [cseq, o] = r.window[i];
    EXPECT_EQ(back->window[i].first, cseq);
    EXPECT_EQ(back->window[i].second.kind, o.kind);
    // Only the newest applied outcome keeps its seq on disk.
    const std::uint64_t want = o.kind == Outcome::Kind::kRejected || cseq == r.client_seq ? o.value : 0;
    EXPECT_EQ(back->window[i].second.value, want) << cseq;
  }
  ClientRecord empty;
  EXPECT_EQ(decode_client_record(encode_client_record(empty)), empty);
}

TEST(ClientRecord, AnAllAppliedWindowIsAFewBytes) {
  ClientRecord r;
  r.member_id = "0123456789abcdefghijkl";
  for (std::uint64_t c = 1; c <= 1000; ++c) r.record(c, applied(c));
  EXPECT_LE(encode_client_record(r).size(), 16u + 1 + 1 + 22 + 1 + 1 + 3);
}

TEST(ClientRecord, ARecordFromBeforeTheWindowAnswersItsLastAndStalesTheRest) {
  std::string legacy;
  put_u64be(&legacy, 9);
  put_u64be(&legacy, 44);
  auto r = decode_client_record(legacy);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->member_id, "");
  EXPECT_EQ(r->floor, 9u);
  EXPECT_EQ(*r->find(9), applied(44));
}

TEST(ClientRecord, RefusesCorruptBytes) {
  ClientRecord r;
  r.member_id = "m";
  r.record(3, applied(5));
  std::string bytes = encode_client_record(r);
  EXPECT_FALSE(decode_client_record("short").has_value());
  EXPECT_FALSE(decode_client_record(bytes.substr(0, bytes.size() - 1)).has_value());
  EXPECT_FALSE(decode_client_record(bytes + "x").has_value());
  bytes[16] = 3;  // unknown version
  EXPECT_FALSE(decode_client_record(bytes).has_value());
}

}  // namespace
}  // namespace tandem::storage
