// tandem_load: one active client. It sends small updates to its own note, paced
// (--rate) or as fast as acks allow (--window), and presence at --cursor-hz; each
// change carries its send time in field "x" and each cursor in `cursor.x` (now_us()),
// so a receiver times fan-out without shared state.
#include <cstdlib>

#include "load.hpp"

namespace tandem::load {

namespace {

std::string make_change(int index, std::uint64_t cs, double t_us) {
  tandem::v1::ClientMessage m;
  auto* c = m.mutable_submit()->add_changes();
  c->set_client_seq(cs);
  auto* op = c->add_ops();
  const std::string id = "note-" + std::to_string(index);
  tandem::v1::Field* f;
  if (cs == 1) {
    op->mutable_create()->set_id(id);
    op->mutable_create()->set_type(tandem::v1::OBJECT_TYPE_NOTE);
    f = op->mutable_create()->add_fields();
  } else {
    op->mutable_update()->set_id(id);
    f = op->mutable_update()->add_fields();
  }
  f->set_name("x");
  f->mutable_value()->set_number(t_us);
  return m.SerializeAsString();
}

// "c-<index>" -> index, or -1.
int client_index(const std::string& client_id, std::size_t n) {
  if (client_id.size() < 3 || client_id[0] != 'c' || client_id[1] != '-') return -1;
  int i = std::atoi(client_id.c_str() + 2);
  return i >= 0 && static_cast<std::size_t>(i) < n ? i : -1;
}

double change_time(const tandem::v1::SequencedChange& ch) {
  if (ch.ops_size() == 0) return -1;
  const auto& op = ch.ops(0);
  const auto& fields = op.has_update() ? op.update().fields() : op.create().fields();
  for (const auto& f : fields)
    if (f.name() == "x") return f.value().number();
  return -1;
}

Clock::duration seconds_dur(double s) { return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); }

}  // namespace

void Client::start() {
  do_read();
  const double n = static_cast<double>(bench.clients.size());
  if (bench.opt.rate > 0) {
    // Spread the clients' first sends over one interval.
    timer.expires_after(seconds_dur((index + 1) / n / bench.opt.rate));
    timer.async_wait([self = shared_from_this()](beast::error_code ec) { if (!ec) self->send_one(); });
  } else {
    for (int i = 0; i < bench.opt.window; ++i) send_one();
  }
  if (bench.opt.cursor_hz > 0) {
    if (stats.presence_from.empty()) stats.presence_from.assign(bench.clients.size(), 0);
    ptimer.expires_after(seconds_dur((index + 1) / n / bench.opt.cursor_hz));
    ptimer.async_wait([self = shared_from_this()](beast::error_code ec) { if (!ec) self->send_presence(); });
  }
}

void Client::send_one() {
  if (!bench.running.load(std::memory_order_relaxed)) return;
  const std::uint64_t cs = next_cs++;
  if (sent.size() <= cs) sent.resize(cs * 2 + 16);
  sent[cs] = now_us();
  if (bench.in_window(sent[cs])) ++stats.sent_window;
  outq.push_back(make_change(index, cs, sent[cs]));
  do_write();
  if (bench.opt.rate > 0) {
    timer.expires_at(timer.expiry() + seconds_dur(1.0 / bench.opt.rate));
    timer.async_wait([self = shared_from_this()](beast::error_code ec) { if (!ec) self->send_one(); });
  }
}

void Client::send_presence() {
  if (!bench.running.load(std::memory_order_relaxed)) return;
  tandem::v1::ClientMessage m;
  auto* c = m.mutable_presence()->mutable_cursor();
  c->set_x(now_us());
  c->set_y(index);
  outq.push_back(m.SerializeAsString());
  do_write();
  ptimer.expires_at(ptimer.expiry() + seconds_dur(1.0 / bench.opt.cursor_hz));
  ptimer.async_wait([self = shared_from_this()](beast::error_code ec) { if (!ec) self->send_presence(); });
}

void Client::do_write() {
  if (writing || outq.empty()) return;
  writing = true;
  ws.async_write(net::buffer(outq.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->writing = false;
    if (ec) return;
    self->outq.pop_front();
    self->do_write();
  });
}

void Client::do_read() {
  ws.async_read(buf, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return;
    self->on_frame();
    self->buf.consume(self->buf.size());
    self->do_read();
  });
}

void Client::on_frame() {
  tandem::v1::ServerFrame frame;
  auto data = buf.cdata();
  if (!frame.ParseFromArray(data.data(), static_cast<int>(data.size()))) return;
  const double now = now_us();
  const std::size_t n = bench.clients.size();
  for (const auto& m : frame.messages()) {
    if (m.has_ack() || m.has_reject()) {
      const std::uint64_t cs = m.has_ack() ? m.ack().client_seq() : m.reject().client_seq();
      if (m.has_reject()) ++stats.rejects;
      const long total = bench.total_acks.fetch_add(1, std::memory_order_relaxed) + 1;
      const bool window = cs < sent.size() && bench.in_window(sent[cs]);
      if (window) ++stats.answered_window;
      if (m.has_ack() && window) {
        ++stats.acks;
        stats.acks_window_peers += static_cast<std::uint64_t>(bench.board_size[board] - 1);
        stats.ack_us.push_back(static_cast<std::uint32_t>(now - sent[cs]));
      }
      if (bench.stop_after_acks > 0 && total >= bench.stop_after_acks) bench.running = false;
      if (bench.opt.rate <= 0) send_one();
    } else if (m.has_change()) {
      const auto& ch = m.change();
      if (ch.ops_size() == 0 && ch.client_id().empty()) {
        // Another member's private change, as this member gets it (VIS-5): it carries no
        // send time, so it is counted by its arrival, not timed.
        if (bench.in_window(now)) ++stats.deliveries, ++stats.hidden;
        continue;
      }
      if (client_index(ch.client_id(), n) < 0) continue;
      const double t = change_time(ch);
      if (!bench.in_window(t)) continue;
      ++stats.deliveries;
      (t >= bench.split_us ? stats.fanout_b_us : stats.fanout_us).push_back(static_cast<std::uint32_t>(now - t));
    } else if (m.has_presence() && m.presence().has_presence()) {
      const int from = client_index(m.presence().member().client_id(), n);
      const double t = m.presence().presence().cursor().x();
      if (from < 0 || !bench.in_window(t)) continue;
      ++stats.presence;
      if (!stats.presence_from.empty()) ++stats.presence_from[static_cast<std::size_t>(from)];
      stats.presence_us.push_back(static_cast<std::uint32_t>(now - t));
    }
  }
}

}  // namespace tandem::load
