// Sink: all a protocol Endpoint (session/endpoint.hpp) sees of its connection.
//
// Implemented by the transport (net/ws_connection.hpp); an Endpoint holds it weakly
// and never keeps the connection alive. Every method is called on the connection's
// strand only and never blocks: it queues and returns. Entries are ready-made frame
// entries (net/wire.hpp); the sink joins the ones queued together into one frame
// (FRAME-2) and decides what to drop or close when the client reads too slowly
// (FLOW-1, PRES-1).
#pragma once

#include <cstdint>
#include <string>

#include "net/wire.hpp"

namespace tandem {

class Sink {
 public:
  virtual ~Sink() = default;
  // Reliable, in order: queued, written by the next flush(). Overflowing the
  // outgoing queue closes the connection (4001).
  virtual void send(wire::SharedBytes entry) = 0;
  // send() of each change of a shared batch, the ack in place of `own_conn`'s own
  // changes; returns how many were its own. One call per batch: the hot path.
  virtual std::size_t send_changes(const wire::FanoutBatch& batch, std::uint64_t own_conn) = 0;
  // Reliable, in order: the SnapshotPart frames that follow a Welcome (SPEC JOIN-8),
  // each written as a frame of its own, one at a time, from the shared bytes. They
  // do not count against the outgoing queue's cap: they are the board's snapshot,
  // shared by every joiner, not something this client left unread.
  virtual void send_parts(wire::Parts parts) = 0;
  // Droppable presence, one board tick (PRES-4): at most one is pending; a newer tick
  // replaces the unsent one (and is then written whole, every member's newest state).
  // Written by the next flush(), after every reliable entry queued before it.
  virtual void send_presence(wire::PresenceTick tick) = 0;
  // Starts writing what is queued unless a write is in flight (then it follows that
  // write). Called once after each batch of sends, so one handler's sends share a
  // frame with no extra hop through the strand.
  virtual void flush() = 0;
  // Moves the presence not yet written into the reliable queue, so that what is sent
  // next (a MemberLeft) follows it.
  virtual void settle_presence() = 0;
  // Writes what is queued, then closes with a WebSocket close code and reason. The
  // first close wins; nothing is sent after it.
  virtual void close(std::uint16_t code, std::string reason) = 0;
  // Holds back the next read of a client frame until resume_reading() (FLOW-2).
  virtual void pause_reading() = 0;
  virtual void resume_reading() = 0;
};

}  // namespace tandem
