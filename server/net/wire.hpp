// Wire helpers: encode server messages once, share the bytes with every recipient.
//
// A server frame is a ServerFrame (protocol/sync.proto), which is a repeated field of
// ServerMessage. Protobuf lets a repeated field be written as concatenated
// (tag, length, bytes) entries, so each message is encoded once as a ready-made
// *frame entry*, and a session builds a frame of many messages by writing their
// entries back to back, without re-encoding (protocol/SPEC.md FRAME-2).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>
#include <string_view>

#include "tandem/v1/sync.pb.h"

namespace tandem::wire {

using SharedBytes = std::shared_ptr<const std::string>;

// One sequenced change in a fan-out batch: every member writes `entry`, except the
// one whose connection sent it (`origin_conn`), which writes `ack` instead.
struct Fanout {
  SharedBytes entry;
  std::uint64_t origin_conn = 0;
  SharedBytes ack;
};
using FanoutBatch = std::shared_ptr<const std::vector<Fanout>>;

// The SnapshotPart frames that follow a big Welcome (SPEC JOIN-8), each a whole frame,
// shared by every joiner that gets that snapshot. Null: none.
using Parts = std::shared_ptr<const std::vector<SharedBytes>>;

// One presence tick (SPEC PRES-4): a frame entry of one ServerMessage{presence} per
// member, built once per tick (once per view where visibility applies, VIS-1/VIS-3) and
// shared by every recipient of it. `delta` holds the members whose presence changed
// since the last tick; `full` every member's newest presence (null: same as delta),
// written instead by a connection that dropped or replaced an unsent tick, so a
// member who falls behind gets the newest state, never a backlog.
struct PresenceBytes {
  std::string delta;
  std::string full;
  bool full_is_delta = false;
  std::size_t delta_messages = 0, full_messages = 0;  // ServerMessages in each
  const std::string& whole() const { return full_is_delta ? delta : full; }
};
// [begin, end) of bytes in an entry; empty when begin == end.
struct Range {
  std::size_t begin = 0, end = 0;
  bool empty() const { return begin == end; }
};
// A tick as one recipient gets it: the shared bytes and where its own entry is in
// them, which it skips (a member's presence is not echoed to itself).
struct PresenceTick {
  std::shared_ptr<const PresenceBytes> bytes;
  Range own_delta, own_full;
  // Appends the delta (or the full state) without the recipient's own entry; returns
  // how many messages it appended.
  std::size_t append_to(std::string* out, bool full) const {
    full = full && !bytes->full_is_delta;
    const std::string& b = full ? bytes->full : bytes->delta;
    const Range r = full ? own_full : own_delta;
    out->append(b, 0, r.begin);
    out->append(b, r.end, std::string::npos);
    return (full ? bytes->full_messages : bytes->delta_messages) - (r.empty() ? 0 : 1);
  }
};

// Appends a length-delimited field (tag, varint length, bytes) to *out.
void append_len_field(std::string* out, int field_number, std::string_view bytes);
// Appends a varint field (tag, value) to *out.
void append_varint_field(std::string* out, int field_number, std::uint64_t value);

// The frame entry of ServerMessage{snapshot_part = SnapshotPart{objects}}, where
// `objects` are encoded BoardSnapshot.objects entries (same field number) back to back.
SharedBytes snapshot_part_entry(const std::vector<std::string_view>& objects);

// The frame entry of one whole ServerMessage.
SharedBytes entry(const v1::ServerMessage& msg);

// The frame entry of ServerMessage{change = <SequencedChange bytes>}: the logged
// bytes of a change are reused as they are.
SharedBytes change_entry(std::string_view sequenced_change_bytes);

// The frame entry of ServerMessage{welcome = head + body}, where `head` is an
// encoded Welcome and `body` holds more encoded Welcome fields (snapshot, changes).
SharedBytes welcome_entry(std::string_view head, std::string_view body);

SharedBytes error_entry(v1::ErrorCode code, std::string message);
// ServerMessage{ack} and ServerMessage{reject} of one change of a client.
SharedBytes ack_entry(std::uint64_t client_seq, std::uint64_t seq, bool duplicate, std::int64_t time_ms = 0);
SharedBytes reject_entry(std::uint64_t client_seq, v1::RejectCode code, std::string message);

// Protobuf field numbers used when composing bytes by hand; checked against the
// generated descriptors in tests (WireTest.FieldNumbersMatchProto).
inline constexpr int kFrameMessagesField = 1;   // ServerFrame.messages
inline constexpr int kMessageWelcomeField = 1;  // ServerMessage.welcome
inline constexpr int kMessageChangeField = 2;   // ServerMessage.change
inline constexpr int kWelcomeSnapshotField = 5; // Welcome.snapshot
inline constexpr int kWelcomeChangesField = 6;  // Welcome.changes
inline constexpr int kWelcomeSnapshotPartsField = 11;  // Welcome.snapshot_parts
inline constexpr int kMessageSnapshotPartField = 9;    // ServerMessage.snapshot_part
inline constexpr int kSnapshotObjectsField = 2;        // BoardSnapshot.objects and SnapshotPart.objects

// WebSocket close codes of Tandem (protocol/SPEC.md CLOSE-*).
inline constexpr std::uint16_t kCloseSlowConsumer = 4001;
inline constexpr std::uint16_t kCloseProtocolVersion = 4002;
inline constexpr std::uint16_t kCloseStorageFailure = 4003;
inline constexpr std::uint16_t kCloseReplaced = 4004;
inline constexpr std::uint16_t kCloseBoardDeleted = 4005;
inline constexpr std::uint16_t kCloseUnauthorized = 4006;
inline constexpr std::uint16_t kCloseRateLimited = 4007;  // RATE-1
inline constexpr std::uint16_t kCloseMoved = 4008;        // CLUSTER-2: another node serves the board now
inline constexpr std::uint16_t kCloseUnavailable = 4009;  // CLUSTER-5: the board's node does not answer

}  // namespace tandem::wire
