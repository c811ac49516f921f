// ClientRecord: what a board remembers of one client id (SPEC IDEM-1..3, JOIN-6).
//
// The member the client id is bound to, and the outcome (applied at seq S, or
// rejected with code C) of each of its newest client_seqs, at most kWindow of them.
// Written in the same WriteBatch as the client's next change, so a resend after a
// crash or reconnect is answered truthfully. Plain value, thread-compatible.
//
// The window covers client_seqs [floor, client_seq]: an outcome found there is the
// answer to a resend; a client_seq in it without an outcome was never seen; below
// `floor` the outcome is no longer known (STALE_CLIENT_SEQ).
//
// Encoding (never change: on disk, the `clients` column family), written with
// every change batch, so it is kept small: the window as runs, newest first.
//   record  := u64be(client_seq) u64be(seq) [ u8(2) varint(len) member_id
//              varint(client_seq - floor) varint(n) run{n} ]
//   run     := varint(count) u8(kind: 0 unseen, 1 applied, 2 rejected) [varint(code) if rejected]
// The runs cover [floor, client_seq]. Only the newest applied outcome keeps its seq
// (`seq`); older applied ones read back with seq 0: after a restart their resend is
// acked as a duplicate with seq 0 (SPEC IDEM-2). A 16-byte record (written before
// member binding) has no window: its floor is its client_seq, so every older resend
// is stale and the last one is an applied outcome at `seq`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::storage {

struct Outcome {
  enum class Kind : std::uint8_t { kApplied = 1, kRejected = 2 };
  Kind kind = Kind::kApplied;
  std::uint64_t value = 0;  // kApplied: the seq; kRejected: the RejectCode
  bool operator==(const Outcome&) const = default;
};

struct ClientRecord {
  static constexpr std::size_t kWindow = 64;
  // A client_seq more than this above client_seq is refused (IDEM-1).
  static constexpr std::uint64_t kMaxAhead = 1u << 20;

  std::string member_id;        // "" = not bound yet (or a record from before binding)
  std::uint64_t client_seq = 0; // the newest client_seq with an outcome; 0 = none
  std::uint64_t seq = 0;        // the seq of the newest applied change; 0 = none
  std::uint64_t floor = 1;      // lowest client_seq the window answers for
  // (client_seq, outcome), ascending by client_seq, at most kWindow.
  std::vector<std::pair<std::uint64_t, Outcome>> window;

  const Outcome* find(std::uint64_t cseq) const;
  // Records the outcome of `cseq` (new, never seen), moving the window on.
  void record(std::uint64_t cseq, Outcome outcome);
  bool operator==(const ClientRecord&) const = default;
};

std::string encode_client_record(const ClientRecord& r);
std::optional<ClientRecord> decode_client_record(std::string_view v);

}  // namespace tandem::storage
