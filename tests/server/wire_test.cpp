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
  EXPECT_EQ(field_number(v1::Welcome::descriptor(), "snapshot_parts"), kWelcomeSnapshotPartsField);
  EXPECT_EQ(field_number(v1::ServerMessage::descriptor(), "snapshot_part"), kMessageSnapshotPartField);
  EXPECT_EQ(field_number(v1::BoardSnapshot::descriptor(), "objects"), kSnapshotObjectsField);
  EXPECT_EQ(field_number(v1::SnapshotPart::descriptor(), "objects"), kSnapshotObjectsField);
}

TEST(Wire, SnapshotPartEntryIsAFrameOfObjects) {  // JOIN-8
  std::vector<std::string> pieces;
  for (int i = 0; i < 3; ++i) {
    v1::ObjectState o;
    o.set_id("n" + std::to_string(i));
    o.set_created_seq(static_cast<std::uint64_t>(i) + 1);
    o.add_fields()->set_name(std::string(200, 'a' + i));  // lengths past one varint byte
    std::string piece;
    append_len_field(&piece, kSnapshotObjectsField, o.SerializeAsString());
    pieces.push_back(piece);
  }
  const SharedBytes e = snapshot_part_entry({pieces[0], pieces[1], pieces[2]});
  v1::ServerFrame f;
  ASSERT_TRUE(f.ParseFromString(*e));
  ASSERT_EQ(f.messages_size(), 1);
  ASSERT_TRUE(f.messages(0).has_snapshot_part());
  const v1::SnapshotPart& part = f.messages(0).snapshot_part();
  ASSERT_EQ(part.objects_size(), 3);
  EXPECT_EQ(part.objects(2).id(), "n2");
  EXPECT_EQ(part.objects(2).fields(0).name(), std::string(200, 'c'));
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
