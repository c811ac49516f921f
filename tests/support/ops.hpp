// Builders of ops and messages for tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "tandem/v1/sync.pb.h"

namespace tandem::testing {

inline v1::Field text_field(const std::string& name, const std::string& text) {
  v1::Field f;
  f.set_name(name);
  f.mutable_value()->set_text(text);
  return f;
}

inline v1::Field number_field(const std::string& name, double n) {
  v1::Field f;
  f.set_name(name);
  f.mutable_value()->set_number(n);
  return f;
}

// A change of one op, as SyncClient::send takes it.
inline google::protobuf::RepeatedPtrField<v1::Op> one(v1::Op op) {
  google::protobuf::RepeatedPtrField<v1::Op> ops;
  *ops.Add() = std::move(op);
  return ops;
}

inline v1::Op create_note(const std::string& id, const std::string& text, double x = 0, double y = 0) {
  v1::Op op;
  auto* c = op.mutable_create();
  c->set_id(id);
  c->set_type(v1::OBJECT_TYPE_NOTE);
  *c->add_fields() = text_field("text", text);
  *c->add_fields() = number_field("x", x);
  *c->add_fields() = number_field("y", y);
  return op;
}

inline v1::Op update_text(const std::string& id, const std::string& text) {
  v1::Op op;
  op.mutable_update()->set_id(id);
  *op.mutable_update()->add_fields() = text_field("text", text);
  return op;
}

inline v1::Op delete_object(const std::string& id) {
  v1::Op op;
  op.mutable_delete_()->set_id(id);
  return op;
}

inline v1::Change change(std::uint64_t client_seq, std::initializer_list<v1::Op> ops) {
  v1::Change c;
  c.set_client_seq(client_seq);
  for (const auto& op : ops) *c.add_ops() = op;
  return c;
}

inline v1::ClientMessage submit(std::initializer_list<v1::Change> changes) {
  v1::ClientMessage m;
  for (const auto& c : changes) *m.mutable_submit()->add_changes() = c;
  return m;
}

inline v1::ClientMessage join_msg(const std::string& board, const std::string& client_id, std::uint64_t last_seen,
                                  const std::string& token) {
  v1::ClientMessage m;
  auto* j = m.mutable_join();
  j->set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  j->set_board_id(board);
  j->set_client_id(client_id);
  j->set_token(token);
  j->set_last_seen_seq(last_seen);
  return m;
}

inline v1::BoardMeta board_meta(v1::BoardKind kind = v1::BOARD_KIND_DISCOVERY,
                                v1::BoardTemplate t = v1::BOARD_TEMPLATE_UNSPECIFIED, std::string title = "") {
  v1::BoardMeta m;
  m.set_title(title.empty() ? (kind == v1::BOARD_KIND_BACKLOG ? "Backlog" : "Discovery") : title);
  m.set_kind(kind);
  m.set_template_(t);
  return m;
}

}  // namespace tandem::testing

namespace tandem::testing {

inline v1::Op create_object(const std::string& id, v1::ObjectType type, std::initializer_list<v1::Field> fields) {
  v1::Op op;
  op.mutable_create()->set_id(id);
  op.mutable_create()->set_type(type);
  for (const auto& f : fields) *op.mutable_create()->add_fields() = f;
  return op;
}

inline v1::Op update_fields(const std::string& id, std::initializer_list<v1::Field> fields) {
  v1::Op op;
  op.mutable_update()->set_id(id);
  for (const auto& f : fields) *op.mutable_update()->add_fields() = f;
  return op;
}

inline v1::Op move_object(const std::string& id, const std::string& order, std::optional<std::string> parent = {}) {
  v1::Op op;
  op.mutable_move()->set_id(id);
  op.mutable_move()->set_order(order);
  if (parent) op.mutable_move()->set_parent(*parent);
  return op;
}

inline v1::Op add_vote(const std::string& id, const std::string& target) {
  v1::Op op;
  op.mutable_add_vote()->set_id(id);
  op.mutable_add_vote()->set_target(target);
  return op;
}

inline v1::Op remove_vote(const std::string& id) {
  v1::Op op;
  op.mutable_remove_vote()->set_id(id);
  return op;
}

inline v1::Op promote(const std::string& note, const std::string& board, const std::string& item,
                      const std::string& backlog_token = "") {
  v1::Op op;
  op.mutable_promote()->set_note_id(note);
  op.mutable_promote()->set_backlog_board(board);
  op.mutable_promote()->set_item_id(item);
  op.mutable_promote()->set_backlog_token(backlog_token);
  return op;
}

inline v1::Op create_item(const std::string& id, const std::string& title, const std::string& order) {
  return create_object(id, v1::OBJECT_TYPE_BACKLOG_ITEM, {text_field("title", title), text_field("order", order)});
}


// ---------- facilitation (protocol/SPEC.md FAC-*) ----------

inline v1::Op comment_on(const std::string& id, const std::string& target, const std::string& text) {
  return create_object(id, v1::OBJECT_TYPE_COMMENT, {text_field("target", target), text_field("text", text)});
}

// A phase of an agenda: id, name, anonymous.
using Phase = std::tuple<std::string, std::string, bool>;

inline v1::Op set_agenda(const std::vector<Phase>& phases) {
  v1::Op op;
  op.mutable_set_agenda();  // set even when empty
  for (const auto& [id, name, anonymous] : phases) {
    auto* p = op.mutable_set_agenda()->add_phases();
    p->set_id(id);
    p->set_name(name);
    p->set_anonymous(anonymous);
  }
  return op;
}

// An agenda of one anonymous phase.
inline v1::Op anonymous_phase(const std::string& id, const std::string& name = "Write, anonymously") {
  return set_agenda({{id, name, true}});
}

inline v1::Op set_phase(const std::string& id) {
  v1::Op op;
  op.mutable_set_phase()->set_phase_id(id);
  return op;
}

inline v1::Op timer_op(v1::TimerAction action, std::int64_t duration_ms = 0) {
  v1::Op op;
  op.mutable_timer()->set_action(action);
  op.mutable_timer()->set_duration_ms(duration_ms);
  return op;
}

inline v1::Op set_ready(bool ready) {
  v1::Op op;
  op.mutable_set_ready()->set_ready(ready);
  return op;
}

inline v1::Op private_writing(bool on, v1::PrivateAudience audience = v1::PRIVATE_AUDIENCE_UNSPECIFIED) {
  v1::Op op;
  op.mutable_set_private_writing()->set_on(on);
  op.mutable_set_private_writing()->set_audience(audience);
  return op;
}

inline v1::Op show_names(bool on) {
  v1::Op op;
  op.mutable_show_names()->set_on(on);
  return op;
}

inline v1::Op open_voting(const std::string& id, const std::string& title, std::uint32_t per_person,
                          std::uint32_t per_object, const std::vector<std::string>& scope = {},
                          bool anonymous = false) {
  v1::Op op;
  auto* o = op.mutable_open_voting();
  o->set_id(id);
  o->set_title(title);
  o->set_votes_per_person(per_person);
  o->set_max_per_object(per_object);
  for (const auto& s : scope) o->add_scope(s);
  o->set_anonymous(anonymous);
  return op;
}

inline v1::Op close_voting() {
  v1::Op op;
  op.mutable_close_voting();
  return op;
}

// Locks object `id`, or the whole board when `id` is "".
inline v1::Op set_lock(const std::string& id, bool locked) {
  v1::Op op;
  op.mutable_set_lock()->set_id(id);
  op.mutable_set_lock()->set_locked(locked);
  return op;
}

inline v1::Op set_follow(bool on) {
  v1::Op op;
  op.mutable_set_follow()->set_on(on);
  return op;
}

inline v1::Op set_dot_votes(bool on) {
  v1::Op op;
  op.mutable_set_options()->set_dot_votes(on);
  return op;
}

}  // namespace tandem::testing
