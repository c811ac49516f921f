// Board: the actor of one open board. It owns the board's lifecycle (load, create,
// retire, delete) and routes each request to the part that decides it:
//
//   Sequencer      (sequencer.hpp)      the order of changes, roles, client records
//   ReplyQueue     (reply_queue.hpp)    answers held until the log has what they follow
//   CatchupWindow  (catchup.hpp)        recent changes for joiners slightly behind
//   PromoteOutbox  (promote_outbox.hpp) promotes being delivered to backlog boards
//   PresenceRelay  (presence_relay.hpp) the members connected and their presence
//   InviteBook     (access/invite_book.hpp) the invites and whether they still admit
//   WelcomeSnapshots (welcome_snapshot.hpp) the encoded snapshot per view for joiners
//
// Its methods live in board_actor.cpp (lifecycle, submit), board_join.cpp,
// board_presence.cpp, board_promote.cpp, board_fanout.cpp (what leaves when the log
// has it) and board_admin.cpp (HTTP requests).
//
// The parts never call back into the actor: it calls them and acts on what they
// return. Every public method may be called from any thread: it posts to the
// board's strand, and all state is touched only there (no locks). Disk reads run on
// the blocking pool; writes go through the GroupCommitter; results come back to the
// strand. The flow of one change: docs/ARCHITECTURE.md.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "access/invite_book.hpp"
#include "access/token.hpp"
#include "board/catchup.hpp"
#include "board/placement.hpp"
#include "board/presence_relay.hpp"
#include "board/promote_outbox.hpp"
#include "board/reply_queue.hpp"
#include "board/sequencer.hpp"
#include "board/snapshot_policy.hpp"
#include "board/subscriber.hpp"
#include "board/visibility.hpp"
#include "config.hpp"
#include "metrics.hpp"
#include "storage/group_committer.hpp"
#include "storage/store.hpp"
#include "tandem/v1/sync.pb.h"

namespace tandem {

class BoardDirectory;

// A join whose token the session has verified: the identity is the token's.
struct JoinRequest {
  std::uint64_t conn_id = 0;
  std::string client_id;
  std::string color;
  std::uint64_t last_seen_seq = 0;
  std::string member_id;
  std::string user_name;     // the token's display name
  std::string invite_nonce;  // the invite the token came from ("" = the board's creator)
  v1::Role role = v1::ROLE_UNSPECIFIED;
};

struct AdminResult;
// A request of the HTTP API (SPEC API-*), decided on the board's strand.
struct AdminRequest {
  enum class Kind { kCreate, kRedeem, kInfo, kListInvites, kMintInvite, kRevokeInvite, kDelete, kRename /* API-8 */,
                    kExport, kImport /* EXPORT-*: board_transfer.cpp */ };
  explicit AdminRequest(Kind k) : kind(k) {}
  Kind kind;
  v1::TokenClaims who;      // the member asking; kRedeem: the invite presented
  v1::BoardMeta meta;       // kCreate
  v1::InviteRecord invite;  // kCreate: the owner link; kMintInvite: the new one; kRevokeInvite: its nonce
  // Export, history, import, restore (issue 13, SPEC EXPORT-*; board_transfer.cpp):
  bool admin = false;              // kExport: the admin token asks (the whole board), not `who`
  std::uint64_t seq = 0;           // kExport: the state after this change (has_seq)
  bool has_seq = false;
  std::int64_t at_ms = 0;          // kExport: the state at this time (has_at)
  bool has_at = false;
  bool with_log = false;           // kExport: every change kept too (admin only)
  std::string body, format, title; // kImport: the file (format json|csv) and the new title
  std::shared_ptr<const v1::BoardExport> source;  // kImport: a board to import instead of `body` (restore)
  // kExport: runs on the worker with the result (makes the export's file).
  std::function<void(AdminResult&)> finish;
};
struct AdminResult {
  AdminResult(int status = 200, std::string error = {}) : status(status), error(std::move(error)) {}
  int status;  // an HTTP status
  std::string error;
  v1::BoardMeta meta;                    // kInfo, kCreate
  std::vector<v1::InviteRecord> invites; // kListInvites; kMintInvite, kRevokeInvite: the one
  std::shared_ptr<v1::BoardExport> board;  // kExport: the state asked for (EXPORT-*)
  std::string body, content_type, filename;  // kExport: the file, as `finish` made it
  std::vector<std::string> skipped;        // kImport: CSV columns not imported (EXPORT-6)
};

class Board : public std::enable_shared_from_this<Board> {
 public:
  struct Deps {
    storage::Store& store;
    storage::GroupCommitter& committer;
    boost::asio::thread_pool& blocking;  // disk reads
    const model::Schema& schema;
    const BoardLimits& limits;
    Metrics& metrics;
    const access::TokenCodec* tokens = nullptr;  // promote's backlog tokens
    BoardDirectory* directory = nullptr;  // other boards (promote); set by the directory
    Placement* placement = nullptr;       // who owns which board (placement.hpp); set by the directory
  };
  using PromoteOutcome = tandem::PromoteOutcome;  // promote_outbox.hpp
  // Called on the backlog board's strand once the item is durable, refused, or its
  // log failed. Always called exactly once.
  using PromoteCallback = std::function<void(PromoteOutcome outcome, std::string error)>;
  // Called on the board's strand.
  using AdminCallback = std::function<void(AdminResult)>;

  Board(std::string id, boost::asio::any_io_executor executor, Deps deps);

  void join(std::shared_ptr<Subscriber> sub, JoinRequest req);
  void submit(std::uint64_t conn_id, v1::Submit submit);
  void presence(std::uint64_t conn_id, v1::Presence presence);
  void leave(std::uint64_t conn_id);
  // From another board: create the backlog item of a promote, idempotently.
  void promote_in(PromoteRequest req, PromoteCallback done);
  void admin(AdminRequest req, AdminCallback done);

  // Moving a board to another node (CLUSTER-4; board_handover.cpp). Answers with an
  // HTTP status and body, on the board's strand.
  using HandoverCallback = std::function<void(int http_status, std::string body)>;
  // The source side: stop accepting (members closed with 4008), wait until everything
  // queued is durable, answer 200 with a v1::BoardShipment of every stored key. Loads
  // the board first if needed, never pulling it from another node. 404: no such board;
  // 409: not on this node. Without handover_done within 10 s it accepts again.
  void hand_over(std::string to_node, HandoverCallback done);
  // The new owner has the board and the lease (`new_epoch`): wipe the local copy and
  // close the board without releasing the lease. 200 once the wipe is durable; 409
  // when no hand-over is in progress.
  void handover_done(std::uint64_t new_epoch, HandoverCallback done);

  const std::string& id() const { return id_; }

 private:
  // kElsewhere: the claim said another node serves it (or it is unreachable): requests
  // are answered moved/unavailable, then the actor retires (CLUSTER-2). kMoving: being
  // handed over (CLUSTER-4): accepts nothing.
  enum class Phase { kNew, kLoading, kCreating, kMissing, kBroken, kReady, kElsewhere, kMoving };

  static std::int64_t now_ms();  // the server's clock (SequencedChange.server_time_ms, FAC-3)

  // Runs `fn` on the strand, on this board's current actor (a retired one forwards).
  template <typename Fn>
  void on_strand(bool open, Fn fn);
  std::shared_ptr<Board> successor(bool open);
  void maybe_retire();
  void run_or_defer(std::function<void()> fn);
  void run_deferred();
  void start_load();
  void on_claimed(std::uint64_t epoch, Claim claim);
  void load_store(std::uint64_t epoch);
  void on_loaded(Status s, storage::BoardImage image);
  void become_ready();
  void become_broken(std::string why);

  void do_join(std::shared_ptr<Subscriber> sub, JoinRequest req);
  void refuse_join(Subscriber& sub, v1::ErrorCode code, std::string message, std::uint16_t close_code = 0);
  void do_submit(std::uint64_t conn_id, v1::Submit submit);
  void do_presence(std::uint64_t conn_id, v1::Presence presence);
  // PRES-4: arms the presence tick unless it is armed; presence_tick() sends it.
  void arm_presence_tick();
  void presence_tick();
  // Whether `p` may read differently per recipient, and how `to` sees it (VIS-1, VIS-3,
  // and a drag naming such an object, PRES-6).
  bool presence_sensitive(const v1::Presence& p) const;
  v1::Presence presence_view(const v1::Presence& p, const PresenceRelay::Member& from,
                             const PresenceRelay::Member& to) const;
  void do_leave(std::uint64_t conn_id);
  void do_promote_in(PromoteRequest req, PromoteCallback done);
  void dispatch_outbox();
  void on_promote_result(std::uint64_t promote_seq, PromoteOutcome outcome, std::string error);
  // The `then` of a promote's item: answers kCreated once durable; fail_storage
  // answers it kRetry instead (answer_waiting_promotes).
  std::function<void()> answer_when_durable(PromoteCallback done);
  void answer_waiting_promotes(const std::string& why);

  // board_admin.cpp
  void do_admin(AdminRequest req, AdminCallback done);
  void create(AdminRequest req, AdminCallback done);
  void redeem(AdminRequest req, AdminCallback done);
  void manage_invites(AdminRequest req, AdminCallback done);
  void delete_board(AdminRequest req, AdminCallback done);
  void rename(AdminRequest req, AdminCallback done);  // API-8: meta.title, as an UpdateBoard op
  std::optional<AdminResult> check_member(const v1::TokenClaims& who) const;
  storage::Write invite_write(const v1::InviteRecord& r) const;
  // A new board (create, import): its metadata, an empty state; the metadata write returned.
  std::vector<storage::Write> start_new(v1::BoardMeta meta);
  // board_transfer.cpp (issue 13, SPEC EXPORT-*)
  void export_board(AdminRequest req, AdminCallback done);
  void import_board(AdminRequest req, AdminCallback done);
  void enter_import(AdminRequest req, v1::BoardMeta meta, std::shared_ptr<std::vector<v1::Change>> changes,
                    AdminResult answer, AdminCallback done);

  // Queues a sequenced change's fan-out, adds its log records to `writes`.
  void queue_change(Sequencer::Answer a, std::uint64_t conn_id, std::uint64_t client_seq,
                    std::vector<storage::Write>* writes, std::function<void()> then = {});
  bool apply_system(const google::protobuf::RepeatedPtrField<v1::Op>& ops, std::vector<storage::Write>* writes,
                    std::function<void()> then = {});
  void maybe_rebalance(std::vector<storage::Write>* writes);
  v1::BoardMeta current_meta() const;
  void commit(std::vector<storage::Write> writes, std::function<void(const Status&)> after = {});
  void on_durable(std::uint64_t epoch, std::uint64_t upto, Status s);
  void fail_storage(const Status& s);
  // CLUSTER-3: the lease is gone: nothing more is acked; members closed with 4008.
  void lose_lease();
  // What fail_storage and lose_lease share: pending changes rejected STORAGE_UNAVAILABLE
  // (`why`), members closed with `close_code`, the state dropped, phase_ = kNew.
  void drop_board(const std::string& why, std::uint16_t close_code, const std::string& close_reason);
  // board_handover.cpp
  void do_hand_over(HandoverCallback done);
  void ship(HandoverCallback done);
  void do_handover_done(std::uint64_t new_epoch, HandoverCallback done);
  void end_move();  // the hand-over's timer expired: accept again after a reload
  // kElsewhere / kMoving: what a request gets instead of service.
  v1::ErrorCode elsewhere_code() const;
  std::uint16_t elsewhere_close() const;
  const char* elsewhere_message() const;
  void retire_elsewhere();
  // CLUSTER-6: a promote answered kRetry is sent again by a timer (1 s doubling to 30 s).
  void arm_promote_retry();
  void drain_replies();
  void send_welcome(const WelcomeItem& w);
  void fan_out(std::shared_ptr<std::vector<Fanout>>& batch);
  // A change that may read differently per member (VIS-*): encoded once per view.
  void fan_out_per_view(const ChangeItem& c);
  wire::SharedBytes ack_for(const ChangeItem& c);
  // Whether a change just applied (or loaded) may need filtering (visibility.hpp).
  bool classify(std::string_view change_bytes, const v1::SequencedChange* parsed);
  // The member who sent a change ("" for system changes and unknown clients).
  std::string sender_member(const v1::SequencedChange& change);
  visibility::Viewer viewer_of(const PresenceRelay::Member& m) const;
  void reply(std::uint64_t conn_id, wire::SharedBytes entry, std::size_t credit);

  const std::string id_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  Deps deps_;
  const bool clustered_;  // deps_.placement->clustered(): fencing and forwarded promotes (CLUSTER-3, -6)

  // Everything below: strand only.
  Phase phase_ = Phase::kNew;
  bool retired_ = false;     // out of the directory: forwards everything to successor()
  std::uint64_t epoch_ = 0;  // bumped on each (re)load; stale callbacks are ignored
  // Placement (CLUSTER-2..4): the lease this node loaded the board under (0 on one node).
  std::uint64_t lease_epoch_ = 0;
  bool pull_ = true;               // the next claim may pull the board from another node
  bool settle_before_load_ = false;  // writes of a lost lease may be queued: wait for them first
  ClaimOutcome elsewhere_ = ClaimOutcome::kMoved;  // kElsewhere: why
  boost::asio::steady_timer move_timer_;   // kMoving: gives up the hand-over
  boost::asio::steady_timer promote_timer_;  // CLUSTER-6: resends promotes answered kRetry
  bool promote_retry_armed_ = false;
  std::chrono::milliseconds promote_backoff_{1000};
  std::vector<std::function<void()>> deferred_;  // requests that came before ready
  std::size_t deferred_left_ = 0;  // of them still to run in run_deferred(): no retiring meanwhile
  v1::BoardMeta meta_;
  std::string broken_reason_;  // why the last load failed
  Sequencer seq_;
  std::uint64_t durable_seq_ = 0;
  SnapshotPolicy snapshots_;  // when to write a snapshot and what it trims
  bool anonymous_possible_ = false;  // the board may hold anonymous objects (FAC-5): sticky
  PresenceRelay members_;
  boost::asio::steady_timer presence_timer_;  // on strand_; armed while a presence changed
  bool presence_armed_ = false;
  ReplyQueue replies_;
  CatchupWindow catchup_;
  // Encoded Welcome snapshots by view ("" = unfiltered, shared by everyone), each at the
  // seq it was built: reused, followed by the changes since, by every joiner until the
  // catch-up window no longer covers them (DECISIONS "Cheap joins").
  WelcomeSnapshots welcomes_;
  PromoteOutbox outbox_;
  // Answers of promotes whose item waits for the log (null once answered).
  std::vector<std::shared_ptr<PromoteCallback>> promotes_waiting_;
  access::InviteBook invites_;
};

}  // namespace tandem
