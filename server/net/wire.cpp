#include "net/wire.hpp"

#include <google/protobuf/io/coded_stream.h>

namespace tandem::wire {

namespace {
void append_varint(std::string* out, std::uint64_t v) {
  std::uint8_t buf[10];  // a varint of 64 bits is at most 10 bytes
  std::uint8_t* end = google::protobuf::io::CodedOutputStream::WriteVarint64ToArray(v, buf);
  out->append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(end - buf));
}
}  // namespace

void append_len_field(std::string* out, int field_number, std::string_view bytes) {
  append_varint(out, (static_cast<std::uint64_t>(field_number) << 3) | 2);  // wire type 2: LEN
  append_varint(out, bytes.size());
  out->append(bytes);
}

void append_varint_field(std::string* out, int field_number, std::uint64_t value) {
  append_varint(out, static_cast<std::uint64_t>(field_number) << 3);  // wire type 0: VARINT
  append_varint(out, value);
}

SharedBytes snapshot_part_entry(const std::vector<std::string_view>& objects) {
  using google::protobuf::io::CodedOutputStream;
  std::size_t part = 0;
  for (std::string_view o : objects) part += o.size();
  const std::size_t msg = 1 + CodedOutputStream::VarintSize64(part) + part;  // tag 9 fits one byte
  auto out = std::make_shared<std::string>();
  out->reserve(msg + 12);
  append_varint(out.get(), (static_cast<std::uint64_t>(kFrameMessagesField) << 3) | 2);
  append_varint(out.get(), msg);
  append_varint(out.get(), (static_cast<std::uint64_t>(kMessageSnapshotPartField) << 3) | 2);
  append_varint(out.get(), part);
  for (std::string_view o : objects) out->append(o);
  return out;
}

SharedBytes entry(const v1::ServerMessage& msg) {
  auto out = std::make_shared<std::string>();
  std::string body = msg.SerializeAsString();
  out->reserve(body.size() + 6);
  append_len_field(out.get(), kFrameMessagesField, body);
  return out;
}

SharedBytes change_entry(std::string_view sequenced_change_bytes) {
  // Written in one pass: entry tag, message length, change tag, change length, bytes.
  std::string inner_head;
  append_varint(&inner_head, (static_cast<std::uint64_t>(kMessageChangeField) << 3) | 2);
  append_varint(&inner_head, sequenced_change_bytes.size());
  auto out = std::make_shared<std::string>();
  out->reserve(inner_head.size() + sequenced_change_bytes.size() + 12);
  append_varint(out.get(), (static_cast<std::uint64_t>(kFrameMessagesField) << 3) | 2);
  append_varint(out.get(), inner_head.size() + sequenced_change_bytes.size());
  out->append(inner_head);
  out->append(sequenced_change_bytes);
  return out;
}

SharedBytes welcome_entry(std::string_view head, std::string_view body) {
  std::string welcome;
  welcome.reserve(head.size() + body.size());
  welcome.append(head);
  welcome.append(body);
  std::string msg;
  append_len_field(&msg, kMessageWelcomeField, welcome);
  auto out = std::make_shared<std::string>();
  append_len_field(out.get(), kFrameMessagesField, msg);
  return out;
}

SharedBytes error_entry(v1::ErrorCode code, std::string message) {
  v1::ServerMessage m;
  m.mutable_error()->set_code(code);
  m.mutable_error()->set_message(std::move(message));
  return entry(m);
}

SharedBytes ack_entry(std::uint64_t client_seq, std::uint64_t seq, bool duplicate, std::int64_t time_ms) {
  v1::ServerMessage m;
  v1::Ack* a = m.mutable_ack();
  a->set_client_seq(client_seq);
  a->set_seq(seq);
  a->set_duplicate(duplicate);
  a->set_server_time_ms(time_ms);
  return entry(m);
}

SharedBytes reject_entry(std::uint64_t client_seq, v1::RejectCode code, std::string message) {
  v1::ServerMessage m;
  v1::Reject* r = m.mutable_reject();
  r->set_client_seq(client_seq);
  r->set_code(code);
  r->set_message(std::move(message));
  return entry(m);
}

}  // namespace tandem::wire
