// Board: the requests of the HTTP API (SPEC API-*), on the board's strand. Each
// checks the asking member against the invite book and the roles table
// (access/roles.hpp), changes the board's metadata or invites, and answers once
// what it wrote is durable.
#include <chrono>

#include "access/roles.hpp"
#include "board/board_actor.hpp"
#include "model/templates.hpp"
#include "storage/keys.hpp"

namespace tandem {

namespace {

AdminResult unauthorized() { return AdminResult{401, "unauthorized"}; }
AdminResult failed(const Status& s) { return AdminResult{503, "storage unavailable: " + s.message()}; }

}  // namespace

void Board::do_admin(AdminRequest req, AdminCallback answer) {
  // A board opened only to answer this closes again once idle (LIFE-1).
  AdminCallback done = [self = shared_from_this(), answer = std::move(answer)](AdminResult r) {
    answer(std::move(r));
    self->maybe_retire();
  };
  if (phase_ == Phase::kBroken) return done(AdminResult{503, "storage unavailable: " + broken_reason_});
  // CLUSTER-2, -4: another node serves it (the balancer routes the retry there).
  if (phase_ == Phase::kElsewhere || phase_ == Phase::kMoving)
    return done(AdminResult{503, elsewhere_message()});
  switch (req.kind) {
    case AdminRequest::Kind::kCreate: return create(std::move(req), std::move(done));
    case AdminRequest::Kind::kRedeem: return redeem(std::move(req), std::move(done));
    case AdminRequest::Kind::kDelete: return delete_board(std::move(req), std::move(done));
    case AdminRequest::Kind::kRename: return rename(std::move(req), std::move(done));
    case AdminRequest::Kind::kExport: return export_board(std::move(req), std::move(done));  // EXPORT-*
    case AdminRequest::Kind::kImport: return import_board(std::move(req), std::move(done));
    case AdminRequest::Kind::kInfo: {
      if (auto refused = check_member(req.who)) return done(*refused);
      AdminResult r;
      r.meta = current_meta();
      return done(std::move(r));
    }
    case AdminRequest::Kind::kListInvites:
    case AdminRequest::Kind::kMintInvite:
    case AdminRequest::Kind::kRevokeInvite: return manage_invites(std::move(req), std::move(done));
  }
}

std::optional<AdminResult> Board::check_member(const v1::TokenClaims& who) const {
  // AUTH-2: a missing board and a revoked invite look alike.
  if (phase_ != Phase::kReady || who.kind() != v1::TOKEN_KIND_MEMBER || who.board_id() != id_ ||
      !invites_.admits(who.invite_nonce()))
    return unauthorized();
  return std::nullopt;
}

storage::Write Board::invite_write(const v1::InviteRecord& r) const {
  return {storage::Cf::kInvites, storage::invite_key(id_, r.nonce()), r.SerializeAsString()};
}

std::vector<storage::Write> Board::start_new(v1::BoardMeta meta) {
  meta_ = std::move(meta);
  meta_.set_id(id_);
  meta_.set_created_ms(now_ms());
  meta_.set_deleted(false);
  meta_.set_created_title(meta_.title());  // `title` follows renames (the board list); history starts here
  seq_.state().reset(meta_);
  seq_.clients().clear();
  invites_.clear();
  catchup_.clear();
  std::vector<storage::Write> writes;
  writes.push_back({storage::Cf::kBoards, storage::board_key(id_), meta_.SerializeAsString()});
  return writes;
}

void Board::create(AdminRequest req, AdminCallback done) {
  if (phase_ != Phase::kMissing || meta_.deleted()) return done(AdminResult{409, "a board with this id exists"});
  phase_ = Phase::kCreating;
  std::vector<storage::Write> writes = start_new(req.meta);
  // The template is the board's first change, in the same batch as its metadata (TPL-1).
  auto tops = model::template_ops(meta_.template_());
  if (!tops.empty()) apply_system(tops, &writes);
  if (!req.invite.nonce().empty()) writes.push_back(invite_write(invites_.put(req.invite)));
  commit(std::move(writes), [self = shared_from_this(), done = std::move(done)](const Status& s) {
    if (!s.ok()) {
      self->run_deferred();  // they load the board again and learn it is missing
      return done(failed(s));
    }
    self->become_ready();
    AdminResult r{201, ""};
    r.meta = self->current_meta();
    done(std::move(r));
  });
}

void Board::redeem(AdminRequest req, AdminCallback done) {
  const v1::TokenClaims& invite = req.who;
  if (phase_ != Phase::kReady || invite.kind() != v1::TOKEN_KIND_INVITE || invite.board_id() != id_ ||
      (invite.expires_ms() && invite.expires_ms() < now_ms()))
    return done(unauthorized());
  if (const v1::InviteRecord* r = invites_.find(invite.nonce())) {
    if (r->revoked()) return done(unauthorized());
    AdminResult ok;
    ok.meta = current_meta();
    return done(std::move(ok));
  }
  // A link minted outside the API (`tandem owner-link`): recorded when first used,
  // so it is listed and can be revoked.
  v1::InviteRecord rec;
  rec.set_nonce(invite.nonce());
  rec.set_role(invite.role());
  rec.set_expires_ms(invite.expires_ms());
  rec.set_created_ms(invite.issued_ms());
  rec.set_created_by("owner-link");
  rec.set_label("minted on the command line");
  commit({invite_write(invites_.put(rec))}, [self = shared_from_this(), done = std::move(done)](const Status& s) {
    if (!s.ok()) return done(failed(s));
    AdminResult ok;
    ok.meta = self->current_meta();
    done(std::move(ok));
  });
}

void Board::manage_invites(AdminRequest req, AdminCallback done) {
  if (auto refused = check_member(req.who)) return done(*refused);
  const auto role = static_cast<v1::Role>(req.who.role());
  if (!access::may(role, access::Action::kManageInvites))
    return done(AdminResult{403, "only facilitators and owners manage invite links"});
  AdminResult result;
  if (req.kind == AdminRequest::Kind::kListInvites) {
    // An owner link is an owner's to see (ROLE-6): listing it, with its token, to a
    // facilitator would let them redeem it and become an owner.
    for (const v1::InviteRecord* r : invites_.list())
      if (access::may(role, access::invite_action(static_cast<v1::Role>(r->role())))) result.invites.push_back(*r);
    return done(std::move(result));
  }
  v1::InviteRecord rec;
  if (req.kind == AdminRequest::Kind::kMintInvite) {
    rec = req.invite;
    rec.set_created_ms(now_ms());
    rec.set_created_by(req.who.member_id());
  } else {
    const v1::InviteRecord* old = invites_.find(req.invite.nonce());
    if (!old) return done(AdminResult{404, "no such invite"});
    rec = *old;
    if (!rec.revoked()) {
      rec.set_revoked(true);
      rec.set_revoked_ms(now_ms());
      rec.set_revoked_by(req.who.member_id());
    }
  }
  if (!access::may(role, access::invite_action(static_cast<v1::Role>(rec.role()))))
    return done(AdminResult{403, "only owners manage owner links"});
  result.invites.push_back(invites_.put(rec));
  const bool revoking = rec.revoked();
  commit({invite_write(rec)}, [self = shared_from_this(), revoking, nonce = rec.nonce(), result = std::move(result),
                               done = std::move(done)](const Status& s) mutable {
    if (!s.ok()) return done(failed(s));
    if (revoking)  // AUTH-4: every member who came through the link is out, now
      self->members_.close_where([&](const PresenceRelay::Member& m) { return m.invite_nonce == nonce; },
                                 wire::kCloseUnauthorized, "your invite link was revoked");
    done(std::move(result));
  });
}

void Board::delete_board(AdminRequest req, AdminCallback done) {
  if (auto refused = check_member(req.who)) return done(*refused);
  if (!access::may(static_cast<v1::Role>(req.who.role()), access::Action::kDeleteBoard))
    return done(AdminResult{403, "only facilitators and owners delete the board"});
  // Metadata kept as a tombstone (its tokens are refused, its id never reused);
  // everything else of the board goes.
  v1::BoardMeta tomb;
  tomb.set_id(id_);
  tomb.set_deleted(true);
  std::vector<storage::Write> writes;
  writes.push_back({storage::Cf::kBoards, storage::board_key(id_), tomb.SerializeAsString()});
  for (storage::Cf cf : {storage::Cf::kOps, storage::Cf::kSnapshots, storage::Cf::kClients, storage::Cf::kInvites})
    writes.push_back({cf, storage::board_prefix(id_), storage::board_end(id_), storage::Write::Kind::kDeleteRange});
  members_.close_where(nullptr, wire::kCloseBoardDeleted, "the board was deleted");
  meta_ = tomb;
  phase_ = Phase::kMissing;
  commit(std::move(writes), [self = shared_from_this(), done = std::move(done)](const Status& s) {
    if (!s.ok()) return done(failed(s));
    self->maybe_retire();
    done(AdminResult{200, ""});
  });
}

// API-8: a rename is the server's own UpdateBoard change, logged and sent to every
// member like a title changed on the page; answered once durable.
void Board::rename(AdminRequest req, AdminCallback done) {
  if (auto refused = check_member(req.who)) return done(*refused);
  if (!access::may(static_cast<v1::Role>(req.who.role()), access::Action::kUpdateBoard))
    return done(AdminResult{403, "your role may not rename the board"});
  google::protobuf::RepeatedPtrField<v1::Op> ops;
  ops.Add()->mutable_update_board()->set_title(req.meta.title());
  std::vector<storage::Write> writes;
  if (!apply_system(ops, &writes)) return done(AdminResult{400, "the board refused the title"});
  commit(std::move(writes), [self = shared_from_this(), done = std::move(done)](const Status& s) {
    if (!s.ok()) return done(failed(s));
    AdminResult r;
    r.meta = self->current_meta();
    done(std::move(r));
  });
  drain_replies();
}

}  // namespace tandem
