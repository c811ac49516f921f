// Board: the actor that sequences, logs and fans out one board's changes.
//
// One Board per open board id. Every public method may be called from any thread:
// it posts to the board's strand, and all state below is touched only on that
// strand (no locks). Disk reads run on the blocking pool; writes go through the
// GroupCommitter; results come back to the strand.
//
// The flow of a change (docs/ARCHITECTURE.md): submit -> validate and apply to the
// state -> seq -> encode once -> GroupCommitter -> durable -> ack to the sender,
// the same bytes to every other member. Replies leave in the order their requests
// came (pending_), so a client sees acks and rejects in client_seq order and a
// joiner's welcome comes before any change after it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config.hpp"
#include "metrics.hpp"
#include "model/board_state.hpp"
#include "storage/group_committer.hpp"
#include "storage/store.hpp"
#include "board/subscriber.hpp"
#include "tandem/v1/sync.pb.h"

namespace tandem {

class BoardDirectory;

struct JoinRequest {
  std::uint64_t conn_id = 0;
  std::string client_id;
  std::string user_name;
  std::string color;
  v1::Role role = v1::ROLE_UNSPECIFIED;
  std::uint64_t last_seen_seq = 0;
  std::optional<v1::BoardMeta> create;
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
    BoardDirectory* directory = nullptr;  // other boards (promote); set by the directory
  };

  // A promote as the backlog board receives it (SPEC PROMOTE-*).
  struct PromoteRequest {
    std::string source_board;
    std::uint64_t promote_seq = 0;
    std::string note_id;
    std::string item_id;
    std::string title;
  };
  // Called on the backlog board's strand once the item is durable (ok) or refused.
  using PromoteCallback = std::function<void(bool ok, std::string error)>;

  Board(std::string id, boost::asio::any_io_executor executor, Deps deps);

  void join(std::shared_ptr<Subscriber> sub, JoinRequest req);
  void submit(std::uint64_t conn_id, v1::Submit submit);
  void presence(std::uint64_t conn_id, v1::Presence presence);
  void leave(std::uint64_t conn_id);
  // From another board: create the backlog item of a promote, idempotently.
  void promote_in(PromoteRequest req, PromoteCallback done);

  const std::string& id() const { return id_; }

 private:
  enum class Phase { kNew, kLoading, kCreating, kMissing, kBroken, kReady };

  struct Member {
    std::weak_ptr<Subscriber> sub;
    v1::Member info;
    v1::Presence presence;
    bool welcomed = false;
  };

  // A reply waiting for the log: sent once durable_seq_ >= after_seq, in order.
  struct Pending {
    enum class Kind { kChange, kReply, kWelcome } kind;
    std::uint64_t after_seq = 0;
    std::uint64_t conn_id = 0;
    std::uint64_t client_seq = 0;
    wire::SharedBytes bytes;  // kChange: change entry; kReply: entry; kWelcome: body
    std::string change;       // kChange: SequencedChange bytes (for the catch-up window)
    std::int64_t server_time_ms = 0;    // kChange
    std::uint64_t last_client_seq = 0;  // kWelcome
    std::function<void()> then;         // run once durable (system changes, callbacks)
  };

  std::shared_ptr<Board> successor(bool open);  // this board's current actor
  void maybe_retire();
  void run_or_defer(std::function<void()> fn);
  void run_deferred();
  void start_load();
  void on_loaded(Status s, storage::BoardImage image);
  void become_ready();
  void on_created(std::uint64_t epoch, Status s);

  void do_join(std::shared_ptr<Subscriber> sub, JoinRequest req);
  void do_submit(std::uint64_t conn_id, v1::Submit submit);
  void do_presence(std::uint64_t conn_id, v1::Presence presence);
  void do_leave(std::uint64_t conn_id);

  void do_promote_in(PromoteRequest req, PromoteCallback done);
  void dispatch_outbox();
  void on_promote_result(std::uint64_t promote_seq, bool ok, std::string error);

  // Sequences a server-made change (templates, rebalance, promote): applies it at the
  // next seq, adds its records to `writes` and queues its fan-out to every member.
  std::optional<model::Rejection> apply_system(const google::protobuf::RepeatedPtrField<v1::Op>& ops,
                                               std::vector<storage::Write>* writes,
                                               std::function<void()> then = {});
  void add_change_writes(std::uint64_t seq, const std::string& bytes, std::vector<storage::Write>* writes);
  void maybe_rebalance(std::vector<storage::Write>* writes);
  v1::BoardMeta current_meta() const;
  void commit(std::vector<storage::Write> writes);
  void on_durable(std::uint64_t epoch, std::uint64_t upto, Status s);
  void fail_storage(const Status& s);
  void drain_pending();
  void send_welcome(const Pending& p);
  void fan_out(std::shared_ptr<std::vector<Fanout>>& batch);
  void reply(std::uint64_t conn_id, wire::SharedBytes entry);
  void remember_change(std::uint64_t seq, std::string bytes);
  std::string welcome_body(std::uint64_t last_seen_seq) const;

  const std::string id_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  Deps deps_;

  // Everything below: strand only.
  Phase phase_ = Phase::kNew;
  bool retired_ = false;  // out of the directory: forwards everything to successor()
  std::uint64_t epoch_ = 0;  // bumped on each (re)load; stale callbacks are ignored
  std::vector<std::function<void()>> deferred_;  // requests that came before ready
  v1::BoardMeta meta_;
  std::string broken_reason_;  // why the last load failed
  model::BoardState state_;
  std::uint64_t durable_seq_ = 0;
  std::uint64_t last_snapshot_seq_ = 0;
  std::unordered_map<std::string, storage::ClientRecord> clients_;
  std::unordered_map<std::uint64_t, Member> members_;
  std::deque<Pending> pending_;
  // Recent durable changes for catch-up: (seq, SequencedChange bytes), no gaps.
  std::deque<std::pair<std::uint64_t, std::string>> recent_;
  std::size_t recent_bytes_ = 0;
  std::unordered_map<std::uint64_t, bool> promotes_in_flight_;  // promote seq -> sent
};

}  // namespace tandem
