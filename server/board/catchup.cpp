#include "board/catchup.hpp"

namespace tandem {

void CatchupWindow::remember(std::uint64_t seq, std::string bytes, bool sensitive) {
  bytes_ += bytes.size();
  recent_.push_back(Entry{seq, std::move(bytes), sensitive});
  while (!recent_.empty() && (recent_.size() > limits_.catchup_max_changes || bytes_ > limits_.catchup_max_bytes)) {
    bytes_ -= recent_.front().bytes.size();
    recent_.pop_front();
  }
}

void CatchupWindow::clear() {
  recent_.clear();
  bytes_ = 0;
}

bool CatchupWindow::append_changes(std::string* body, std::uint64_t after, std::uint64_t head,
                                   std::uint64_t durable, const ReplyQueue& pending, const View& view) const {
  if (after >= head) return after == head;
  const std::uint64_t first_avail = recent_.empty() ? durable + 1 : recent_.front().seq;
  if (after + 1 < first_avail || head - after > limits_.catchup_max_changes) return false;
  const std::size_t start = body->size();
  for (const Entry& e : recent_) {
    if (e.seq <= after) continue;
    wire::append_len_field(body, wire::kWelcomeChangesField, e.sensitive ? view(e.bytes) : e.bytes);
    if (body->size() - start > limits_.catchup_max_bytes) return false;
  }
  for (const QueuedReply& r : pending.items()) {
    const auto* c = std::get_if<ChangeItem>(&r);
    if (!c || c->seq <= after) continue;
    wire::append_len_field(body, wire::kWelcomeChangesField, c->sensitive ? view(c->change) : c->change);
  }
  return body->size() - start <= limits_.catchup_max_bytes;
}

namespace {
void append_snapshot(CatchupWindow::Body* body, const EncodedSnapshot& s) {
  wire::append_len_field(&body->bytes, wire::kWelcomeSnapshotField, *s.head);
  if (s.parts) wire::append_varint_field(&body->bytes, wire::kWelcomeSnapshotPartsField, s.parts->size());
  body->parts = s.parts;
}
}  // namespace

CatchupWindow::Body CatchupWindow::welcome_body(std::uint64_t last_seen, std::uint64_t head, std::uint64_t durable,
                                                const ReplyQueue& pending, const EncodedSnapshot* cached,
                                                const std::function<EncodedSnapshot()>& build,
                                                const View& view) const {
  Body body;
  if (last_seen == head) return body;
  if (last_seen > 0 && last_seen < head && append_changes(&body.bytes, last_seen, head, durable, pending, view))
    return body;  // JOIN-2
  // JOIN-3: a snapshot, the cached one and the changes after it when they are at hand.
  if (cached && cached->head && cached->seq <= head) {
    body = Body{};
    append_snapshot(&body, *cached);
    if (append_changes(&body.bytes, cached->seq, head, durable, pending, view)) return body;
  }
  body = Body{};
  append_snapshot(&body, build());
  return body;
}

}  // namespace tandem
