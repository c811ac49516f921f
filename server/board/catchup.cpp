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

std::string CatchupWindow::welcome_body(std::uint64_t last_seen, std::uint64_t head, std::uint64_t durable,
                                        const ReplyQueue& pending,
                                        const std::function<std::string()>& snapshot,
                                        const View& view) const {
  std::string body;
  if (last_seen == head) return body;
  const std::uint64_t first_avail = recent_.empty() ? durable + 1 : recent_.front().seq;
  const bool by_changes = last_seen > 0 && last_seen < head && last_seen + 1 >= first_avail &&
                          head - last_seen <= limits_.catchup_max_changes;
  if (by_changes) {
    for (const Entry& e : recent_) {
      if (e.seq <= last_seen) continue;
      wire::append_len_field(&body, wire::kWelcomeChangesField, e.sensitive ? view(e.bytes) : e.bytes);
      if (body.size() > limits_.catchup_max_bytes) break;
    }
    for (const QueuedReply& r : pending.items()) {
      const auto* c = std::get_if<ChangeItem>(&r);
      if (!c || c->seq <= last_seen) continue;
      wire::append_len_field(&body, wire::kWelcomeChangesField, c->sensitive ? view(c->change) : c->change);
    }
    if (body.size() <= limits_.catchup_max_bytes) return body;
    body.clear();  // too many bytes: a snapshot is smaller
  }
  wire::append_len_field(&body, wire::kWelcomeSnapshotField, snapshot());
  return body;
}

}  // namespace tandem
