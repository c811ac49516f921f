// Writes the seed corpus of the fuzz targets from real messages: the golden replay
// vectors (protocol/testdata/replay_vectors.txt, changes the server accepted) and the
// client messages a session sends (protocol/SPEC.md JOIN-*, FRAME-*, PRES-*).
//   fuzz_seeds <corpus dir>   (scripts/fuzz.sh seeds; the output is committed under
//                              tests/fuzz/corpus/<target>/)
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/fuzz_input.hpp"
#include "tandem/v1/board.pb.h"
#include "tandem/v1/sync.pb.h"

namespace {

using namespace tandem;
namespace fs = std::filesystem;

std::string unbase64(const std::string& in) {
  static const std::string abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : in) {
    const auto p = abc.find(c);
    if (p == std::string::npos) continue;  // '=' padding
    acc = (acc << 6) | static_cast<unsigned>(p);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

struct Scenario {
  std::string name;
  std::string meta;                  // BoardMeta bytes
  std::vector<std::string> changes;  // SequencedChange bytes
};

std::vector<Scenario> read_vectors(const fs::path& file) {
  std::vector<Scenario> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string word, arg;
    ls >> word >> arg;
    if (word == "scenario") out.push_back({arg, {}, {}});
    else if (out.empty()) continue;
    else if (word == "meta") out.back().meta = unbase64(arg);
    else if (word == "change") out.back().changes.push_back(unbase64(arg));
  }
  return out;
}

void write(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

// Join, sign flags: binary, signed, board fz<board>, member m<member>, editor.
std::uint8_t join_flags(int board, int member) { return 1 | 2 | (board << 2) | (member << 4) | (1 << 6); }

std::string join(const std::string& client, std::uint64_t last_seen = 0) {
  v1::ClientMessage m;
  m.mutable_join()->set_protocol_version(v1::PROTOCOL_VERSION_CURRENT);
  m.mutable_join()->set_client_id(client);
  m.mutable_join()->set_last_seen_seq(last_seen);
  m.mutable_join()->set_color("#ffaa00");
  return m.SerializeAsString();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seeds <corpus dir>\n");
    return 2;
  }
  const fs::path out = argv[1];
  const auto scenarios = read_vectors(fs::path(TANDEM_SOURCE_DIR) / "protocol/testdata/replay_vectors.txt");
  if (scenarios.empty()) {
    std::fprintf(stderr, "no replay vectors read\n");
    return 1;
  }
  for (const Scenario& s : scenarios) {
    // model_ops_fuzz: the scenario as the server applied it (apply_live), and as a replica does (apply).
    for (std::uint8_t flags : {0, 1}) {
      std::string seed;
      fuzz::append_record(&seed, 0, s.meta);
      for (const auto& c : s.changes) fuzz::append_record(&seed, flags, c);
      write(out / "model_ops_fuzz", s.name + (flags ? "-apply" : "-live"), seed);
    }
    // endpoint_fuzz: a join, then the scenario's ops submitted as one client's changes.
    std::string seed;
    fuzz::append_record(&seed, join_flags(0, 0), join("c-" + s.name.substr(0, 20)));
    v1::ClientMessage submit;
    std::uint64_t client_seq = 0;
    for (const auto& bytes : s.changes) {
      v1::SequencedChange c;
      c.ParseFromString(bytes);
      if (c.system()) continue;
      v1::Change* ch = submit.mutable_submit()->add_changes();
      ch->set_client_seq(++client_seq);
      *ch->mutable_ops() = c.ops();
      if (submit.submit().changes_size() == 4) {
        fuzz::append_record(&seed, 1, submit.SerializeAsString());
        submit.Clear();
      }
    }
    if (submit.has_submit()) fuzz::append_record(&seed, 1, submit.SerializeAsString());
    write(out / "endpoint_fuzz", s.name, seed);
  }

  // endpoint_fuzz: the other messages of a session.
  v1::ClientMessage presence;
  presence.mutable_presence()->mutable_cursor()->set_x(10);
  presence.mutable_presence()->mutable_cursor()->set_y(-3.5);
  v1::ClientMessage ping;
  ping.mutable_ping();
  std::string seed;
  fuzz::append_record(&seed, join_flags(1, 1), join("c-presence"));
  fuzz::append_record(&seed, 1, presence.SerializeAsString());
  fuzz::append_record(&seed, 1, ping.SerializeAsString());
  fuzz::append_record(&seed, 0, "not binary");
  fuzz::append_record(&seed, 1, std::string("\xff\xff\xff", 3));
  write(out / "endpoint_fuzz", "presence-ping-malformed", seed);
  seed.clear();
  fuzz::append_record(&seed, 1, ping.SerializeAsString());
  fuzz::append_record(&seed, 1, join("c-unsigned"));
  fuzz::append_record(&seed, join_flags(2, 2), join("c-rejoin", 5));
  fuzz::append_record(&seed, join_flags(2, 2), join("c-rejoin", 5));
  write(out / "endpoint_fuzz", "unsigned-then-double-join", seed);
  std::printf("seeds written to %s\n", out.c_str());
  return 0;
}
