#include "templates.hpp"

#include <string>
#include <vector>

#include "order_key.hpp"

namespace tandem::model {

namespace {

struct Lane {
  const char* title;
  const char* color;
  std::vector<const char*> hints;  // starter notes inside the lane
};

// Lays out lanes side by side (or in a grid of `columns`), each a group with its
// starter notes inside, all in z-order.
class Layout {
 public:
  explicit Layout(google::protobuf::RepeatedPtrField<v1::Op>* ops) : ops_(ops) {}

  void lanes(const std::vector<Lane>& lanes, int columns, double width, double height) {
    for (std::size_t i = 0; i < lanes.size(); ++i) {
      const double x = static_cast<double>(i % columns) * (width + kGap);
      const double y = static_cast<double>(i / columns) * (height + kGap);
      const std::string group_id = "tpl-group-" + std::to_string(i + 1);
      auto* g = create(group_id, v1::OBJECT_TYPE_GROUP);
      text(g, "title", lanes[i].title);
      text(g, "color", lanes[i].color);
      number(g, "x", x);
      number(g, "y", y);
      number(g, "width", width);
      number(g, "height", height);
      for (std::size_t h = 0; h < lanes[i].hints.size(); ++h) {
        auto* n = create(group_id + "-note-" + std::to_string(h + 1), v1::OBJECT_TYPE_NOTE);
        text(n, "text", lanes[i].hints[h]);
        text(n, "color", "#fff4b8");
        number(n, "x", x + 24);
        number(n, "y", y + 64 + static_cast<double>(h) * 150);
        number(n, "width", 160);
        number(n, "height", 120);
        text(n, "parent", group_id);
      }
    }
  }

  v1::CreateObject* experiment(const std::string& id, double x, double y, const char* hypothesis, const char* metric) {
    auto* e = create(id, v1::OBJECT_TYPE_EXPERIMENT);
    text(e, "hypothesis", hypothesis);
    text(e, "metric", metric);
    text(e, "result", "pending");
    number(e, "x", x);
    number(e, "y", y);
    number(e, "width", 220);
    number(e, "height", 150);
    return e;
  }

 private:
  static constexpr double kGap = 40;

  v1::CreateObject* create(const std::string& id, v1::ObjectType type) {
    auto* c = ops_->Add()->mutable_create();
    c->set_id(id);
    c->set_type(type);
    last_key_ = *order_key::between(last_key_.empty() ? std::nullopt : std::optional<std::string_view>(last_key_),
                                    std::nullopt);
    text(c, "order", last_key_);
    return c;
  }
  static void text(v1::CreateObject* c, const char* name, const std::string& value) {
    auto* f = c->add_fields();
    f->set_name(name);
    f->mutable_value()->set_text(value);
  }
  static void number(v1::CreateObject* c, const char* name, double value) {
    auto* f = c->add_fields();
    f->set_name(name);
    f->mutable_value()->set_number(value);
  }

  google::protobuf::RepeatedPtrField<v1::Op>* ops_;
  std::string last_key_;
};

}  // namespace

google::protobuf::RepeatedPtrField<v1::Op> template_ops(v1::BoardTemplate t) {
  google::protobuf::RepeatedPtrField<v1::Op> ops;
  Layout layout(&ops);
  switch (t) {
    case v1::BOARD_TEMPLATE_PROBLEM_FRAMING:
      layout.lanes({{"Who has the problem?", "#dbeafe", {"Describe the customer segment"}},
                    {"What is the problem?", "#fee2e2", {"What do they struggle with, in their words?"}},
                    {"Why does it matter?", "#dcfce7", {"Evidence: interviews, data, support tickets"}},
                    {"How might we...?", "#fef9c3", {"How might we ... so that ...?"}}},
                   2, 520, 360);
      break;
    case v1::BOARD_TEMPLATE_OPPORTUNITY_SOLUTION_EXPERIMENT:
      layout.lanes({{"Opportunities", "#dbeafe", {"A customer need, pain or desire"}},
                    {"Solutions", "#dcfce7", {"An idea that addresses an opportunity"}},
                    {"Experiments", "#fef9c3", {}}},
                   3, 420, 900);
      layout.experiment("tpl-experiment-1", 2 * (420 + 40) + 24, 80, "We believe that ... will result in ...",
                        "We will know when we see ...");
      break;
    case v1::BOARD_TEMPLATE_AFFINITY_MAP:
      layout.lanes({{"Unsorted", "#f3f4f6", {"Paste raw observations here, one per note"}},
                    {"Theme 1", "#dbeafe", {}},
                    {"Theme 2", "#dcfce7", {}},
                    {"Theme 3", "#fee2e2", {}}},
                   4, 400, 700);
      break;
    case v1::BOARD_TEMPLATE_RETRO:
      layout.lanes({{"Went well", "#dcfce7", {}}, {"To improve", "#fee2e2", {}}, {"Actions", "#dbeafe", {}}}, 3, 420,
                   700);
      break;
    default:
      break;
  }
  return ops;
}

}  // namespace tandem::model
