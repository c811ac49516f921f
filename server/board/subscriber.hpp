// Subscriber: what a Board sees of a connected client (a WebSocket session).
//
// A Board calls these from its strand; an implementation must be thread-safe and
// must not block (it posts to its own strand). Entries are ready-made frame entries
// (net/wire.hpp) shared by every recipient.
//
// Flow credit (SPEC FLOW-2): every change a connection submits to the board is
// answered exactly once, and each answer returns one credit to the connection:
// `deliver(entry, 1)` for a reject or duplicate ack, one per Fanout whose
// origin_conn is the connection in `deliver_changes`, and all outstanding credit
// at once in `join_failed` (the board dropped what it had not answered). Nothing
// else returns credit.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "net/wire.hpp"

namespace tandem {

using Fanout = wire::Fanout;
using FanoutBatch = wire::FanoutBatch;

class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Reliable, in order. A subscriber whose queue overflows closes itself.
  // `credit`: how many of this connection's changes `entry` answers (0 or 1).
  virtual void deliver(wire::SharedBytes entry, std::size_t credit = 0) = 0;
  // Reliable, in order: a Welcome, then the snapshot parts that follow it (JOIN-8;
  // null: none), nothing between them.
  virtual void deliver_welcome(wire::SharedBytes welcome, wire::Parts parts) = 0;
  // Reliable, in order: a batch shared by every member of the board.
  virtual void deliver_changes(FanoutBatch batch) = 0;
  // Droppable presence: one tick of the board (PRES-4), at most one per tick; a newer
  // one replaces the one not yet written (newest state, no backlog).
  virtual void deliver_presence(wire::PresenceTick tick) = 0;
  // `from` left: the presence not yet written goes first, then `entry`, reliably, so
  // nothing of `from` follows its MemberLeft.
  virtual void deliver_left(const std::string& from, wire::SharedBytes entry) = 0;
  // The join was refused with `entry` (an Error); the client may join again.
  virtual void join_failed(wire::SharedBytes entry) = 0;
  // Close the connection with a WebSocket close code and reason.
  virtual void close(std::uint16_t code, std::string reason) = 0;
};

}  // namespace tandem
