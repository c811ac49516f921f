#include "board/sequencer.hpp"

#include <algorithm>

#include "access/roles.hpp"
#include "storage/keys.hpp"

namespace tandem {

namespace {

using Kind = Sequencer::Answer::Kind;
using storage::Outcome;

Sequencer::Answer rejected(v1::RejectCode code, std::string message, bool recorded = false) {
  Sequencer::Answer a;
  a.kind = Kind::kRejected;
  a.code = code;
  a.message = std::move(message);
  a.recorded = recorded;
  return a;
}

}  // namespace

Sequencer::Answer Sequencer::submit(const Sender& sender, v1::Change& change, std::int64_t now_ms) {
  const std::uint64_t cseq = change.client_seq();
  if (cseq == 0) return rejected(v1::REJECT_CODE_BAD_OP, "client_seq must be at least 1");
  storage::ClientRecord& rec = clients_[sender.client_id];
  if (cseq < rec.floor)
    return rejected(v1::REJECT_CODE_STALE_CLIENT_SEQ,
                    "client_seq " + std::to_string(cseq) + " is older than the " +
                        std::to_string(storage::ClientRecord::kWindow) + " the board remembers");
  if (const Outcome* o = rec.find(cseq)) {  // a resend: the first answer again (IDEM-2)
    if (o->kind == Outcome::Kind::kApplied) {
      Answer a;
      a.kind = Kind::kDuplicate;
      a.seq = o->value;
      return a;
    }
    auto code = static_cast<v1::RejectCode>(o->value);
    return rejected(code, "rejected when first sent: " + v1::RejectCode_Name(code));
  }
  if (cseq > rec.client_seq + storage::ClientRecord::kMaxAhead)
    return rejected(v1::REJECT_CODE_BAD_OP, "client_seq jumps more than " +
                                                std::to_string(storage::ClientRecord::kMaxAhead) + " ahead");
  Answer a;
  if (auto r = check_roles(sender, change)) a = rejected(r->code, std::move(r->message));
  else a = sequence(sender, change.mutable_ops(), cseq, now_ms, false);
  if (a.kind != Kind::kApplied)  // the ops are still in `change`: forget their promotes
    for (const v1::Op& op : change.ops())
      if (op.has_promote()) promote_invites_.erase(op.promote().item_id());
  rec.record(cseq, a.kind == Kind::kApplied ? Outcome{Outcome::Kind::kApplied, a.seq}
                                             : Outcome{Outcome::Kind::kRejected, static_cast<std::uint64_t>(a.code)});
  a.recorded = true;
  return a;
}

std::optional<model::Rejection> Sequencer::check_roles(const Sender& sender, v1::Change& change) {
  for (v1::Op& op : *change.mutable_ops()) {
    const access::Action action = access::action_of(op);
    if (!access::may(sender.role, action)) {
      std::string who(access::role_name(sender.role));
      if (action == access::Action::kEditObjects || action == access::Action::kPromote)
        return model::Rejection{v1::REJECT_CODE_NOT_ALLOWED, "a " + who + " cannot change the board"};
      return model::Rejection{v1::REJECT_CODE_NOT_ALLOWED, "only facilitators and owners change board settings"};
    }
    if (action == access::Action::kPromote) {
      v1::Promote* p = op.mutable_promote();
      auto claims = tokens_ ? tokens_->verify(p->backlog_token()) : std::nullopt;
      p->clear_backlog_token();  // never logged nor sent
      if (!claims || claims->kind() != v1::TOKEN_KIND_MEMBER || claims->board_id() != p->backlog_board() ||
          !access::may(static_cast<v1::Role>(claims->role()), access::Action::kEditObjects))
        return model::Rejection{v1::REJECT_CODE_NOT_ALLOWED, "promote needs edit rights on the backlog board"};
      promote_invites_[p->item_id()] = claims->invite_nonce();
    }
  }
  return std::nullopt;
}

Sequencer::Answer Sequencer::apply_system(const google::protobuf::RepeatedPtrField<v1::Op>& ops,
                                          std::int64_t now_ms) {
  Sender system{kSystemAuthor, kSystemAuthor, kSystemAuthor, v1::ROLE_OWNER};
  google::protobuf::RepeatedPtrField<v1::Op> copy = ops;
  return sequence(system, &copy, 0, now_ms, true);
}

Sequencer::Answer Sequencer::sequence(const Sender& sender, google::protobuf::RepeatedPtrField<v1::Op>* ops,
                                      std::uint64_t client_seq, std::int64_t now_ms, bool system) {
  const std::uint64_t seq = state_.seq() + 1;
  if (auto r = state_.apply(*ops, model::ApplyContext{seq, sender.name, now_ms, system, sender.member_id}))
    return rejected(r->code, std::move(r->message));
  v1::SequencedChange sc;
  sc.set_seq(seq);
  sc.set_author(sender.name);
  // The member id only where the effect depends on it (votes, VOTE-1): every change
  // is fanned out to every member, and 24 more bytes each cost 9% of the throughput
  // at saturation (docs/DECISIONS.md).
  for (const v1::Op& op : *ops)
    if (op.has_add_vote() || op.has_remove_vote()) {
      sc.set_author_id(sender.member_id);
      break;
    }
  sc.set_client_id(sender.client_id);
  sc.set_client_seq(client_seq);
  sc.set_server_time_ms(now_ms);
  sc.set_system(system);
  sc.mutable_ops()->Swap(ops);
  Answer a;
  a.kind = Kind::kApplied;
  a.seq = seq;
  a.time_ms = now_ms;
  a.change = sc.SerializeAsString();
  return a;
}

void Sequencer::recall(const v1::SequencedChange& change) {
  auto it = clients_.find(change.client_id());
  if (it == clients_.end() || change.system()) return;
  auto& window = it->second.window;
  auto pos = std::lower_bound(window.begin(), window.end(), change.client_seq(),
                              [](const auto& e, std::uint64_t c) { return e.first < c; });
  if (pos != window.end() && pos->first == change.client_seq() && pos->second.kind == Outcome::Kind::kApplied)
    pos->second.value = change.seq();
}

std::optional<std::string> Sequencer::take_promote_invite(const std::string& item_id) {
  auto it = promote_invites_.find(item_id);
  if (it == promote_invites_.end()) return std::nullopt;
  std::string nonce = std::move(it->second);
  promote_invites_.erase(it);
  return nonce;
}

bool Sequencer::bind(const std::string& client_id, const std::string& member_id) {
  storage::ClientRecord& rec = clients_[client_id];
  if (rec.member_id.empty()) rec.member_id = member_id;
  return rec.member_id == member_id;
}

std::uint64_t Sequencer::last_client_seq(const std::string& client_id) const {
  auto it = clients_.find(client_id);
  return it == clients_.end() ? 0 : it->second.client_seq;
}

storage::Write Sequencer::client_write(const std::string& board_id, const std::string& client_id) const {
  return {storage::Cf::kClients, storage::client_key(board_id, client_id),
          storage::encode_client_record(clients_.at(client_id))};
}

}  // namespace tandem
