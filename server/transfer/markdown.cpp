#include "transfer/markdown.hpp"

#include <algorithm>
#include <ctime>
#include <map>
#include <vector>

#include "transfer/object_fields.hpp"

namespace tandem::transfer {

namespace {

using Objects = std::vector<const v1::ObjectState*>;

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// What a reader calls an object: a note's text, a group's title, an experiment's hypothesis.
std::string label(const v1::ObjectState& o) {
  std::string t;
  switch (o.type()) {
    case v1::OBJECT_TYPE_GROUP: t = text(o, "title"); break;
    case v1::OBJECT_TYPE_EXPERIMENT: t = text(o, "hypothesis"); break;
    case v1::OBJECT_TYPE_BACKLOG_ITEM: t = text(o, "title"); break;
    default: t = text(o, "text"); break;
  }
  if (t.empty()) return o.type() == v1::OBJECT_TYPE_GROUP ? "(untitled group)" : "(empty)";
  return md_escape(t);
}

class Writer {
 public:
  explicit Writer(const v1::BoardExport& e) : e_(e) {
    for (const v1::ObjectState& o : e.snapshot().objects()) {
      by_id_[o.id()] = &o;
      if (!live(o)) continue;
      if (o.type() == v1::OBJECT_TYPE_VOTE) ++votes_[text(o, "target")];
      if (o.type() == v1::OBJECT_TYPE_COMMENT) comments_[text(o, "target")].push_back(&o);
    }
    for (auto& [target, list] : comments_)
      std::sort(list.begin(), list.end(), [](const v1::ObjectState* a, const v1::ObjectState* b) {
        const v1::Value* ta = field(*a, "created_ms");
        const v1::Value* tb = field(*b, "created_ms");
        const std::int64_t x = ta ? ta->integer() : 0, y = tb ? tb->integer() : 0;
        return x != y ? x < y : a->id() < b->id();
      });
  }

  std::string write() {
    const std::string& title = e_.snapshot().settings().title().empty() ? e_.meta().title()
                                                                         : e_.snapshot().settings().title();
    out_ += "# " + (title.empty() ? std::string("Discovery board") : md_escape(title)) + "\n\n";
    out_ += "Exported " + utc_time(e_.exported_ms());
    if (e_.state_time_ms()) out_ += "; the board as of " + utc_time(e_.state_time_ms());
    out_ += " (change " + std::to_string(e_.snapshot().seq()) + ").\n";
    groups_and_notes();
    voting_results();
    experiments();
    return std::move(out_);
  }

 private:
  Objects of_type(v1::ObjectType t) const {
    Objects list;
    for (const v1::ObjectState& o : e_.snapshot().objects())
      if (live(o) && o.type() == t) list.push_back(&o);
    // Board order (ORDER-3): by key, then by id; unordered ones last.
    std::stable_sort(list.begin(), list.end(), [](const v1::ObjectState* a, const v1::ObjectState* b) {
      const std::string ka = text(*a, "order"), kb = text(*b, "order");
      if (ka.empty() != kb.empty()) return kb.empty();
      return ka != kb ? ka < kb : a->id() < b->id();
    });
    return list;
  }
  std::uint64_t votes(const std::string& id) const {
    auto it = votes_.find(id);
    return it == votes_.end() ? 0 : it->second;
  }
  bool live_id(const std::string& id, v1::ObjectType t) const {
    auto it = by_id_.find(id);
    return it != by_id_.end() && live(*it->second) && it->second->type() == t;
  }

  void comments(const std::string& target, const char* indent) {
    auto it = comments_.find(target);
    if (it == comments_.end()) return;
    for (const v1::ObjectState* c : it->second) {
      const std::string author = text(*c, "author");
      out_ += std::string(indent) + "- " + (author.empty() ? "Comment" : md_escape(author)) + ": " +
              md_escape(text(*c, "text")) + "\n";
    }
  }

  void notes(Objects list) {
    std::stable_sort(list.begin(), list.end(),
                     [&](const v1::ObjectState* a, const v1::ObjectState* b) { return votes(a->id()) > votes(b->id()); });
    for (const v1::ObjectState* n : list) {
      const std::uint64_t v = votes(n->id());
      out_ += "- " + label(*n) + (v ? " (" + plural(v, "vote", "votes") + ")" : "") + "\n";
      comments(n->id(), "  ");
    }
  }

  void groups_and_notes() {
    const Objects all_notes = of_type(v1::OBJECT_TYPE_NOTE);
    for (const v1::ObjectState* g : of_type(v1::OBJECT_TYPE_GROUP)) {
      out_ += "\n## " + label(*g);
      if (const std::uint64_t v = votes(g->id())) out_ += " (" + plural(v, "vote", "votes") + ")";
      out_ += "\n\n";
      comments(g->id(), "");
      Objects in;
      for (const v1::ObjectState* n : all_notes)
        if (text(*n, "parent") == g->id()) in.push_back(n);
      if (in.empty()) out_ += "No notes.\n";
      notes(std::move(in));
    }
    Objects loose;
    for (const v1::ObjectState* n : all_notes)
      if (!live_id(text(*n, "parent"), v1::OBJECT_TYPE_GROUP)) loose.push_back(n);
    if (loose.empty()) return;
    out_ += "\n## Ungrouped notes\n\n";
    notes(std::move(loose));
  }

  void voting_results() {
    const auto& results = e_.snapshot().facilitation().results();
    if (results.empty()) return;
    out_ += "\n## Voting results\n";
    for (const v1::VotingResult& r : results) {
      out_ += "\n### " + (r.title().empty() ? std::string("Voting") : md_escape(r.title())) + "\n\n";
      out_ += "Closed " + utc_time(r.closed_ms()) + ", " + plural(r.voters(), "voter", "voters") + ", " +
              plural(r.votes_per_person(), "vote", "votes") + " each" + (r.anonymous() ? ", anonymous" : "") + ".\n\n";
      if (r.tallies().empty()) out_ += "No votes.\n";
      int rank = 0;
      for (const v1::Tally& t : r.tallies()) {
        auto it = by_id_.find(t.target());
        const std::string what = it == by_id_.end() ? "(removed or not visible to you)" : label(*it->second);
        out_ += std::to_string(++rank) + ". " + what + ": " + plural(t.count(), "vote", "votes");
        if (!t.voters().empty()) {
          out_ += " (";
          for (int i = 0; i < t.voters_size(); ++i) out_ += (i ? ", " : "") + md_escape(t.voters(i));
          out_ += ")";
        }
        out_ += "\n";
      }
    }
  }

  void experiments() {
    const Objects list = of_type(v1::OBJECT_TYPE_EXPERIMENT);
    if (list.empty()) return;
    out_ += "\n## Experiments\n";
    for (const v1::ObjectState* x : list) {
      out_ += "\n### " + label(*x) + "\n\n";
      const std::string metric = text(*x, "metric"), result = text(*x, "result");
      out_ += "- Metric: " + (metric.empty() ? std::string("(none)") : md_escape(metric)) + "\n";
      out_ += "- Result: " + (result.empty() ? std::string("pending") : md_escape(result)) + "\n";
      if (const std::string lane = text(*x, "parent"); live_id(lane, v1::OBJECT_TYPE_GROUP))
        out_ += "- Lane: " + label(*by_id_.at(lane)) + "\n";
      if (const std::uint64_t v = votes(x->id())) out_ += "- Votes: " + std::to_string(v) + "\n";
      comments(x->id(), "");
    }
  }

  const v1::BoardExport& e_;
  std::map<std::string, const v1::ObjectState*, std::less<>> by_id_;
  std::map<std::string, std::uint64_t, std::less<>> votes_;
  std::map<std::string, Objects, std::less<>> comments_;
  std::string out_;
};

}  // namespace

std::string md_escape(std::string_view in) {
  std::string out;
  out.reserve(in.size() + 8);
  bool start = true;
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '\r') continue;
    if (c == '\n' || c == '\t') c = ' ';
    if (start && c == ' ') continue;  // leading spaces would make a code block
    const bool special = std::string_view("\\`*_[]<>#|~&!").find(c) != std::string_view::npos;
    // What starts a list item, at the start of the text: "-", "+", "1." / "1)".
    bool list_marker = start && (c == '-' || c == '+');
    if (!start && (c == '.' || c == ')') && !out.empty()) {
      std::size_t j = 0;
      while (j < out.size() && out[j] >= '0' && out[j] <= '9') ++j;
      list_marker = j == out.size();
    }
    if (special || list_marker) out.push_back('\\');
    out.push_back(c);
    start = false;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string utc_time(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::string discovery_markdown(const v1::BoardExport& e) { return Writer(e).write(); }

}  // namespace tandem::transfer
