// Sequencer: the one order of a board's changes and the rules each passes.
//
// Owns the board's state (model::BoardState) and its client records. For every
// submitted change it decides, in this order: a resend is answered from the
// client's record (IDEM-2); a client_seq below the window is stale and one too far
// ahead refused (IDEM-1); the sender's role must allow every op (ROLE-*, a promote
// also needs edit rights on the backlog board); locks (FAC-7: BOARD_LOCKED for
// non-facilitators); then the model's rules (MODEL-*, FAC-*), whose derived ops
// (FAC-9) the model appends to the change before it is logged.
// The outcome is recorded in the client's record, which the caller writes in the
// same batch as the change. Pure logic, no I/O; owned by the board actor and used
// on its strand only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "access/token.hpp"
#include "model/board_state.hpp"
#include "storage/client_record.hpp"
#include "storage/store.hpp"

namespace tandem {

// Who sent a change: what the member's token says, and the connection's client id.
struct Sender {
  std::string member_id;
  std::string name;
  std::string client_id;
  v1::Role role = v1::ROLE_UNSPECIFIED;
};

inline constexpr const char* kSystemAuthor = "tandem";

// Whether a SequencedChange of `ops` carries the sender's member id (author_id): replay
// needs it for votes (VOTE-1), SetReady (FAC-2) and creates while private writing is on
// (`private_writing`: on before or after the change, FAC-4); plain edits go without.
bool needs_author_id(const google::protobuf::RepeatedPtrField<v1::Op>& ops, bool private_writing);

class Sequencer {
 public:
  struct Answer {
    enum class Kind { kApplied, kDuplicate, kRejected } kind = Kind::kRejected;
    std::uint64_t seq = 0;       // kApplied, kDuplicate
    std::int64_t time_ms = 0;    // kApplied
    std::string change;          // kApplied: SequencedChange bytes
    v1::RejectCode code = v1::REJECT_CODE_UNSPECIFIED;  // kRejected
    std::string message;
    bool recorded = false;       // the client's record changed: write it
    int user_ops = 0;            // kApplied: the ops sent; the derived ops follow them (FAC-9)
    bool derived = false;        // kApplied: the server appended derived ops (ACK-4: the ack carries them)
  };

  // `tokens` checks a promote's backlog token; null refuses every promote.
  Sequencer(const model::Schema& schema, model::StateLimits limits, const access::TokenCodec* tokens)
      : state_(schema, limits), tokens_(tokens) {}

  model::BoardState& state() { return state_; }
  const model::BoardState& state() const { return state_; }
  std::unordered_map<std::string, storage::ClientRecord>& clients() { return clients_; }

  // Decides one change of `sender` at server time `now_ms` (may modify its ops:
  // the backlog token of a promote is cleared before it is logged).
  Answer submit(const Sender& sender, v1::Change& change, std::int64_t now_ms);
  // A change of the server itself (templates, rebalance, promote) at the next seq.
  Answer apply_system(const google::protobuf::RepeatedPtrField<v1::Op>& ops, std::int64_t now_ms);
  // A change of an import (SPEC EXPORT-5): the server's rights (system), sent as `sender`.
  Answer apply_import(const Sender& sender, const google::protobuf::RepeatedPtrField<v1::Op>& ops, std::int64_t now_ms);

  // A logged change read back at load: the client's applied outcome of it gets its
  // seq again (the record keeps only the newest one's).
  void recall(const v1::SequencedChange& change);
  // The invite the promoter's backlog membership came from, for the promote of
  // `item_id` accepted since this board loaded (the backlog checks it is not revoked,
  // AUTH-4); nullopt when not known (a promote resent after a restart). Forgets it.
  std::optional<std::string> take_promote_invite(const std::string& item_id);
  // Binds `client_id` to `member_id` unless another member holds it (JOIN-6).
  bool bind(const std::string& client_id, const std::string& member_id);
  // The newest client_seq with an outcome (JOIN-5).
  std::uint64_t last_client_seq(const std::string& client_id) const;
  // The record of `client_id` as a write for the `clients` column family.
  storage::Write client_write(const std::string& board_id, const std::string& client_id) const;

 private:
  std::optional<model::Rejection> check_roles(const Sender& sender, v1::Change& change);
  std::optional<model::Rejection> check_locks(const Sender& sender, const v1::Change& change) const;
  Answer sequence(const Sender& sender, google::protobuf::RepeatedPtrField<v1::Op>* ops,
                  std::uint64_t client_seq, std::int64_t now_ms, bool system);

  model::BoardState state_;
  const access::TokenCodec* tokens_;
  std::unordered_map<std::string, storage::ClientRecord> clients_;
  std::unordered_map<std::string, std::string> promote_invites_;  // item id -> invite nonce
};

}  // namespace tandem
