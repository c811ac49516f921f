// Board: export, history and import (issue 13, protocol/SPEC.md EXPORT-*), on the
// board's strand. What reads the disk or parses a file runs on the blocking pool
// (deps_.blocking) and posts its answer back to the strand: never the disk on a
// network thread (docs/ARCHITECTURE.md, Threads).
#include <boost/asio/post.hpp>

#include "board/board_actor.hpp"
#include "storage/keys.hpp"
#include "transfer/csv_import.hpp"
#include "transfer/export_json.hpp"
#include "transfer/history.hpp"
#include "transfer/import_plan.hpp"

namespace tandem {

namespace net = boost::asio;

// EXPORT-1, EXPORT-7: the state at a seq or time (the newest by default), as the asker
// may see it: a member their view (VIS-*), the admin token the whole board.
void Board::export_board(AdminRequest req, AdminCallback done) {
  transfer::HistoryQuery q;
  if (req.admin) {
    if (phase_ != Phase::kReady) return done(AdminResult{404, "no such board"});
  } else {
    if (auto refused = check_member(req.who)) return done(*refused);
    if (req.with_log) return done(AdminResult{403, "the whole log is exported with the admin token only"});
    q.viewer = visibility::viewer(req.who.member_id(), static_cast<v1::Role>(req.who.role()));
  }
  if (req.has_seq) q.seq = req.seq;
  if (req.has_at) q.at_ms = req.at_ms;
  q.with_log = req.with_log;
  net::post(deps_.blocking, [self = shared_from_this(), q = std::move(q), finish = std::move(req.finish),
                             done = std::move(done)]() mutable {
    transfer::HistoryResult h =
        transfer::board_at(self->deps_.store, self->id_, q, self->deps_.schema, self->deps_.limits.state, now_ms());
    AdminResult r{h.status, h.error};
    if (h.status < 300) {
      r.board = std::make_shared<v1::BoardExport>(std::move(h.board));
      if (finish) finish(r);  // the file is made here, off the strand
    }
    net::post(self->strand_, [r = std::move(r), done = std::move(done)]() mutable { done(std::move(r)); });
  });
}

// EXPORT-5, EXPORT-6, EXPORT-8: a new board from a file (or a past state), planned and
// checked on the worker; nothing is written unless every change passes.
void Board::import_board(AdminRequest req, AdminCallback done) {
  if (phase_ != Phase::kMissing || meta_.deleted()) return done(AdminResult{409, "a board with this id exists"});
  phase_ = Phase::kCreating;  // other requests wait (run_or_defer) until it is made or refused
  net::post(deps_.blocking, [self = shared_from_this(), req = std::move(req), done = std::move(done)]() mutable {
    AdminResult answer{201, ""};
    std::string error;
    std::optional<v1::BoardExport> parsed;
    const v1::BoardExport* source = req.source.get();
    if (!source) {
      if (req.format == "csv") {
        if (auto csv = transfer::backlog_from_csv(req.body, &error)) {
          answer.skipped = std::move(csv->skipped_columns);
          parsed = std::move(csv->board);
        }
      } else {
        parsed = transfer::from_json(req.body, &error);
      }
      if (parsed) source = &*parsed;
    }
    std::optional<transfer::ImportPlan> plan;
    if (source)
      plan = transfer::plan_import(*source, req.title, transfer::Importer{req.who.member_id(), req.who.name()},
                                   self->deps_.schema, self->deps_.limits.state, now_ms(), &error);
    req.body.clear();
    req.source.reset();
    net::post(self->strand_, [self, req = std::move(req), plan = std::move(plan), error = std::move(error),
                              answer = std::move(answer), done = std::move(done)]() mutable {
      if (!plan) {
        self->phase_ = Phase::kMissing;
        self->run_deferred();
        return done(AdminResult{400, error});
      }
      auto changes = std::make_shared<std::vector<v1::Change>>(std::move(plan->changes));
      self->enter_import(std::move(req), plan->meta, std::move(changes), std::move(answer), std::move(done));
    });
  });
}

// The planned changes enter the log as the importer's (author and member id: history
// and replay show them), with the board's metadata and owner link in one batch.
void Board::enter_import(AdminRequest req, v1::BoardMeta meta, std::shared_ptr<std::vector<v1::Change>> changes,
                         AdminResult answer, AdminCallback done) {
  std::vector<storage::Write> writes = start_new(std::move(meta));
  const Sender sender{req.who.member_id(), req.who.name(), transfer::kImportClientId, v1::ROLE_OWNER};
  const std::int64_t time = now_ms();
  for (const v1::Change& c : *changes) {
    Sequencer::Answer a = seq_.apply_import(sender, c.ops(), time);
    if (a.kind != Sequencer::Answer::Kind::kApplied) {
      // The plan checked these on the same model: nothing is written, the id stays free.
      replies_.clear();
      catchup_.clear();
      seq_.state().reset(meta_);
      phase_ = Phase::kMissing;
      run_deferred();
      return done(AdminResult{500, "the board refused its import: " + a.message});
    }
    queue_change(std::move(a), 0, 0, &writes);
  }
  if (!req.invite.nonce().empty()) writes.push_back(invite_write(invites_.put(req.invite)));
  commit(std::move(writes), [self = shared_from_this(), answer = std::move(answer),
                             done = std::move(done)](const Status& s) mutable {
    if (!s.ok()) {
      self->run_deferred();
      return done(AdminResult{503, "storage unavailable: " + s.message()});
    }
    self->become_ready();
    answer.meta = self->current_meta();
    done(std::move(answer));
  });
}

}  // namespace tandem
