// Frame entries composed by hand parse as the protobuf messages they claim to be.
#include "net/wire.hpp"

#include <gtest/gtest.h>

#include "support/ops.hpp"

namespace tandem::wire {
namespace {

int field_number(const google::protobuf::Descriptor* d, const char* name) {
  const auto* f = d->FindFieldByName(name);
  return f ? f->number() : -1;
}

TEST(Wire, FieldNumbersMatchProto) {
  EXPECT_EQ(field_number(v1::ServerFrame::descriptor(), "messages"), kFrameMessagesField);
  EXPECT_EQ(field_number(v1::ServerMessage::descriptor(), "welcome"), kMessageWelcomeField);
  EXPECT_EQ(field_number(v1::ServerMessage::descriptor(), "change"), kMessageChangeField);
  EXPECT_EQ(field_number(v1::Welcome::descriptor(), "snapshot"), kWelcomeSnapshotField);
  EXPECT_EQ(field_number(v1::Welcome::descriptor(), "changes"), kWelcomeChangesField);
}

TEST(Wire, ConcatenatedEntriesAreOneServerFrame) {  // FRAME-2
  v1::SequencedChange change;
  change.set_seq(7);
  change.set_client_id("c1");
  *change.add_ops() = testing::create_note("n1", std::string(300, 'x'));  // a length past one varint byte
  v1::ServerMessage pong;
  pong.mutable_pong()->set_nonce(99);

  v1::Welcome head;
  head.set_head_seq(7);
  std::string body;
  append_len_field(&body, kWelcomeChangesField, change.SerializeAsString());
  append_len_field(&body, kWelcomeChangesField, change.SerializeAsString());

  std::string frame = *change_entry(change.SerializeAsString()) + *entry(pong) +
                      *welcome_entry(head.SerializeAsString(), body) +
                      *error_entry(v1::ERROR_CODE_BAD_REQUEST, "nope");
  v1::ServerFrame parsed;
  ASSERT_TRUE(parsed.ParseFromString(frame));
  ASSERT_EQ(parsed.messages_size(), 4);
  EXPECT_EQ(parsed.messages(0).change().SerializeAsString(), change.SerializeAsString());
  EXPECT_EQ(parsed.messages(1).pong().nonce(), 99u);
  EXPECT_EQ(parsed.messages(2).welcome().head_seq(), 7u);
  EXPECT_EQ(parsed.messages(2).welcome().changes_size(), 2);
  EXPECT_EQ(parsed.messages(3).error().code(), v1::ERROR_CODE_BAD_REQUEST);
}

}  // namespace
}  // namespace tandem::wire
