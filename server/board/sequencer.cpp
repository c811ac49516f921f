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
  else if (auto l = check_locks(sender, change)) a = rejected(l->code, std::move(l->message));
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
      if (action == access::Action::kFacilitate)
        return model::Rejection{v1::REJECT_CODE_NOT_ALLOWED, "only facilitators and owners run the workshop"};
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

// FAC-7: on a locked board, or on a locked object, only facilitators and owners
// create, update, move or delete objects; votes and readiness go on. Objects made in
// the change itself are not locked, and only facilitators lock, so the state before
// the change decides.
std::optional<model::Rejection> Sequencer::check_locks(const Sender& sender, const v1::Change& change) const {
  if (access::may(sender.role, access::Action::kFacilitate)) return std::nullopt;
  const bool board_locked = state_.facilitation().locked();
  for (const v1::Op& op : change.ops()) {
    const std::string* id = nullptr;
    switch (op.kind_case()) {
      case v1::Op::kCreate:
        if (board_locked) return model::Rejection{v1::REJECT_CODE_BOARD_LOCKED, "the board is locked"};
        continue;
      case v1::Op::kUpdate: id = &op.update().id(); break;
      case v1::Op::kDelete: id = &op.delete_().id(); break;
      case v1::Op::kRestore: id = &op.restore().id(); break;  // like its delete (MODEL-9)
      case v1::Op::kMove: id = &op.move().id(); break;
      default: continue;
    }
    if (board_locked) return model::Rejection{v1::REJECT_CODE_BOARD_LOCKED, "the board is locked"};
    const model::Object* obj = state_.find(*id);
    const v1::Value* locked = obj ? obj->get("locked") : nullptr;
    if (locked && locked->flag())
      return model::Rejection{v1::REJECT_CODE_BOARD_LOCKED, "object " + *id + " is locked"};
  }
  return std::nullopt;
}

Sequencer::Answer Sequencer::apply_system(const google::protobuf::RepeatedPtrField<v1::Op>& ops,
                                          std::int64_t now_ms) {
  Sender system{kSystemAuthor, kSystemAuthor, kSystemAuthor, v1::ROLE_OWNER};
  google::protobuf::RepeatedPtrField<v1::Op> copy = ops;
  return sequence(system, &copy, 0, now_ms, true);
}

Sequencer::Answer Sequencer::apply_import(const Sender& sender, const google::protobuf::RepeatedPtrField<v1::Op>& ops,
                                          std::int64_t now_ms) {
  google::protobuf::RepeatedPtrField<v1::Op> copy = ops;
  return sequence(sender, &copy, 0, now_ms, true);
}

Sequencer::Answer Sequencer::sequence(const Sender& sender, google::protobuf::RepeatedPtrField<v1::Op>* ops,
                                      std::uint64_t client_seq, std::int64_t now_ms, bool system) {
  const std::uint64_t seq = state_.seq() + 1;
  const bool private_before = state_.facilitation().private_writing();
  const int user_ops = ops->size();
  model::ApplyContext ctx{seq, sender.name, now_ms, system, sender.member_id, sender.client_id};
  if (auto r = state_.apply_live(ops, ctx))  // appends the derived ops (FAC-9)
    return rejected(r->code, std::move(r->message));
  v1::SequencedChange sc;
  sc.set_seq(seq);
  sc.set_author(sender.name);
  // The member id only where replay needs it: votes (VOTE-1), readiness (FAC-2) and
  // creates while private writing is on (private_to, FAC-4). Every change is fanned
  // out to every member, and 24 more bytes each cost 9% of the throughput at
  // saturation (docs/DECISIONS.md): plain edits stay without it.
  if (needs_author_id(*ops, private_before || state_.facilitation().private_writing()))
    sc.set_author_id(sender.member_id);
  sc.set_client_id(sender.client_id);
  sc.set_client_seq(client_seq);
  sc.set_server_time_ms(now_ms);
  sc.set_system(system);
  sc.mutable_ops()->Swap(ops);
  Answer a;
  a.kind = Kind::kApplied;
  a.seq = seq;
  a.user_ops = user_ops;
  a.derived = sc.ops_size() > user_ops;
  a.time_ms = now_ms;
  a.change = sc.SerializeAsString();
  return a;
}

bool needs_author_id(const google::protobuf::RepeatedPtrField<v1::Op>& ops, bool private_writing) {
  bool creates = false, toggles = false;
  for (const v1::Op& op : ops) {
    if (op.has_add_vote() || op.has_remove_vote() || op.has_set_ready()) return true;
    creates = creates || op.has_create() || op.has_restore();  // a restore's owner check (MODEL-9)
    toggles = toggles || op.has_set_private_writing();
  }
  return creates && (private_writing || toggles);
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
