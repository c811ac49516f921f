#include "board/promote_outbox.hpp"

#include "model/order_key.hpp"

namespace tandem {

std::vector<PromoteRequest> PromoteOutbox::due(const std::string& board_id,
                                               const std::map<std::uint64_t, v1::PendingPromote>& outbox,
                                               std::uint64_t durable_seq) {
  std::vector<PromoteRequest> out;
  for (const auto& [seq, p] : outbox) {
    if (seq > durable_seq) break;  // not on disk yet: nobody may act on it
    if (!in_flight_.insert(seq).second) continue;
    PromoteRequest req;
    req.source_board = board_id;
    req.promote_seq = seq;
    req.note_id = p.note_id();
    req.item_id = p.item_id();
    req.title = p.title();
    out.push_back(std::move(req));
  }
  return out;
}

v1::Op backlog_item_op(const model::BoardState& backlog, const PromoteRequest& req) {
  v1::Op op;
  auto* c = op.mutable_create();
  c->set_id(req.item_id);
  c->set_type(v1::OBJECT_TYPE_BACKLOG_ITEM);
  auto text = [&](const char* name, std::string value) {
    auto* f = c->add_fields();
    f->set_name(name);
    f->mutable_value()->set_text(std::move(value));
  };
  text("title", req.title.empty() ? "Untitled" : req.title);
  if (backlog.settings().columns_size() > 0) text("status", backlog.settings().columns(0));
  auto list = backlog.ordered();
  auto key = model::order_key::between(
      list.empty() ? std::nullopt : std::optional<std::string_view>(list.back().first), std::nullopt);
  if (key) text("order", *key);
  text("source_board", req.source_board);
  text("source_note", req.note_id);
  return op;
}

}  // namespace tandem
