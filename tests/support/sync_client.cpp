#include "sync_client.hpp"

#include <gtest/gtest.h>

namespace tandem::testing {

SyncClient::SyncClient(std::uint16_t port, std::string board, std::string client_id, std::string token,
                       const model::Schema& schema)
    : port_(port), board_(std::move(board)), client_id_(std::move(client_id)), token_(std::move(token)), state_(schema) {}

void SyncClient::connect() {
  if (!target_.empty()) {
    if (!try_connect(std::chrono::seconds(20))) ADD_FAILURE() << client_id_ << ": no welcome";
    return;
  }
  conn_ = std::make_unique<TestClient>(port_);
  const v1::ClientMessage m = join_message();
  joined_ = false;
  conn_->send(m);
  while (!joined_) {
    auto msg = conn_->next(std::chrono::seconds(20));
    if (!msg) {
      ADD_FAILURE() << client_id_ << ": no welcome";
      return;
    }
    handle(*msg);
  }
}

bool SyncClient::try_connect(std::chrono::milliseconds timeout) {
  conn_.reset();
  joined_ = false;
  refused_ = false;
  try {
    TestClient::Options o;
    o.target = target_;
    o.tolerate_send_errors = true;
    conn_ = std::make_unique<TestClient>(port_, o);
  } catch (const std::exception&) {  // refused, or the balancer answered the upgrade with an error
    conn_.reset();
    return false;
  }
  const v1::ClientMessage m = join_message();
  conn_->send(m);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!joined_ && !refused_) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto msg = left.count() > 0 ? conn_->next(left) : std::nullopt;
    if (!msg) break;
    handle(*msg);
  }
  if (joined_) return true;
  conn_.reset();
  return false;
}

bool SyncClient::closed() const { return !conn_ || conn_->closed(); }

v1::ClientMessage SyncClient::join_message() const {
  v1::ClientMessage m;
  auto* j = m.mutable_join();
  j->set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  j->set_board_id(board_);
  j->set_client_id(client_id_);
  j->set_token(token_);
  j->set_last_seen_seq(initialized_ ? state_.seq() : 0);  // JOIN-5: catch up from here
  return m;
}

void SyncClient::disconnect() {
  conn_.reset();
  joined_ = false;
}

std::uint64_t SyncClient::send(const google::protobuf::RepeatedPtrField<v1::Op>& ops) {
  const std::uint64_t cs = next_client_seq_++;
  v1::Change& c = pending_[cs];
  c.set_client_seq(cs);
  *c.mutable_ops() = ops;
  if (conn_ && joined_ && !conn_->closed()) {
    v1::ClientMessage m;
    *m.mutable_submit()->add_changes() = c;
    conn_->send(m);
  }
  return cs;
}

int SyncClient::pump() {
  if (!conn_) return 0;
  auto msgs = conn_->drain();
  for (const auto& m : msgs) handle(m);
  return static_cast<int>(msgs.size());
}

bool SyncClient::pump_one(std::chrono::milliseconds timeout) {
  if (!conn_) return false;
  auto m = conn_->next(timeout);
  if (!m) return false;
  handle(*m);
  return true;
}

bool SyncClient::wait_state(const std::function<bool(const model::BoardState&)>& pred,
                            std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pump();
  while (!pred(state_)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !pump_one(left)) return false;
  }
  return true;
}

bool SyncClient::settle(std::uint64_t head, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pending_.empty() || state_.seq() < head) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !pump_one(left)) return false;
  }
  return true;
}

void SyncClient::welcome(const v1::Welcome& w) {
  meta_ = w.board();
  if (!initialized_ || w.has_snapshot()) state_.reset(meta_);
  initialized_ = true;
  if (w.has_snapshot()) state_.load(w.snapshot());
  for (const auto& c : w.changes()) {
    if (c.seq() != state_.seq() + 1) ADD_FAILURE() << client_id_ << ": catch-up gap at " << c.seq();
    if (auto r = state_.replay(c)) ADD_FAILURE() << client_id_ << ": catch-up change " << c.seq() << " refused: " << r->message;
  }
  if (state_.seq() != w.head_seq())
    ADD_FAILURE() << client_id_ << ": replica at " << state_.seq() << " after welcome at " << w.head_seq();
  lease_epoch_ = w.lease_epoch();
  user_ = w.you().user_name();
  member_id_ = w.you().member_id();
  if (next_client_seq_ <= w.last_client_seq()) next_client_seq_ = w.last_client_seq() + 1;
  joined_ = true;
  if (!pending_.empty()) {
    v1::ClientMessage resend;
    for (const auto& [cs, c] : pending_) *resend.mutable_submit()->add_changes() = c;
    conn_->send(resend);
  }
}

void SyncClient::handle(const v1::ServerMessage& m) {
  switch (m.kind_case()) {
    case v1::ServerMessage::kWelcome:
    case v1::ServerMessage::kSnapshotPart: {
      v1::ServerMessage copy = m;
      if (auto w = parts_.take(&copy)) welcome(*w);
      break;
    }
    case v1::ServerMessage::kChange: {
      const auto& c = m.change();
      if (c.seq() != state_.seq() + 1) ADD_FAILURE() << client_id_ << ": change " << c.seq() << " after " << state_.seq();
      if (auto r = state_.replay(c)) ADD_FAILURE() << client_id_ << ": change " << c.seq() << " refused: " << r->message;
      for (const auto& op : c.ops()) rebalances_ += op.has_rebalance();
      break;
    }
    case v1::ServerMessage::kAck: {
      const auto& a = m.ack();
      auto it = pending_.find(a.client_seq());
      if (it == pending_.end()) break;
      acks_.push_back({a.seq(), a.client_seq(), lease_epoch_, a.duplicate()});
      if (!a.duplicate()) {
        v1::SequencedChange c;
        c.set_seq(a.seq());
        c.set_author(user_);
        c.set_author_id(member_id_);
        c.set_client_id(client_id_);
        c.set_client_seq(a.client_seq());
        c.set_server_time_ms(a.server_time_ms());
        *c.mutable_ops() = it->second.ops();
        if (c.seq() != state_.seq() + 1) ADD_FAILURE() << client_id_ << ": ack " << c.seq() << " after " << state_.seq();
        if (auto r = state_.replay(c)) ADD_FAILURE() << client_id_ << ": own change " << c.seq() << " refused: " << r->message;
      }
      ++acked_;
      pending_.erase(it);
      break;
    }
    case v1::ServerMessage::kReject:
      ++rejected_;
      stale_ += m.reject().code() == v1::REJECT_CODE_STALE_CLIENT_SEQ;
      pending_.erase(m.reject().client_seq());
      break;
    case v1::ServerMessage::kError:
      if (!target_.empty() && (m.error().code() == v1::ERROR_CODE_BOARD_MOVED ||
                               m.error().code() == v1::ERROR_CODE_BOARD_UNAVAILABLE)) {
        refused_ = true;
        ++refusals_;
        break;
      }
      ADD_FAILURE() << client_id_ << ": error " << m.error().message();
      break;
    default:
      break;
  }
}

}  // namespace tandem::testing
