// tandem board create|list|rename|delete: API-1, API-7, API-8 and API-5 of a running
// server (protocol/SPEC.md).
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/admin_commands.hpp"
#include "cli/command_util.hpp"

namespace tandem::cli {

namespace json = boost::json;

namespace {

struct CreateArgs {
  std::string kind, title, tpl, name = "Administrator";
  bool json = false;
};

void create(const Remote& remote, const CreateArgs& a) {
  json::object body{{"kind", a.kind}, {"name", a.name}};
  if (!a.title.empty()) body["title"] = a.title;
  if (!a.tpl.empty()) body["template"] = a.tpl;
  json::object r = expect_ok(call(remote, "POST", "/api/boards", json::serialize(body)));
  const std::string id = text(r, "board_id");
  const std::string link = invite_link(remote, id, text(r, "owner_invite"));
  if (a.json) {
    std::printf("%s\n", json::serialize(json::object{{"board_id", id},
                                                      {"title", text(r, "title")},
                                                      {"kind", text(r, "kind")},
                                                      {"owner_link", link}})
                            .c_str());
    return;
  }
  std::printf("board %s (%s, \"%s\")\nowner link: %s\n", id.c_str(), text(r, "kind").c_str(), text(r, "title").c_str(),
              link.c_str());
}

void print_boards(const json::array& boards) {
  std::vector<std::vector<std::string>> rows;
  bool clustered = false;  // rows name their node (CLUSTER-8)
  for (const json::value& v : boards) {
    if (!v.is_object()) continue;
    const json::object& b = v.as_object();
    const json::value* del = b.if_contains("deleted");
    const bool gone = del && del->is_bool() && del->as_bool();
    rows.push_back({text(b, "board_id"), gone ? "deleted" : text(b, "kind"), std::to_string(integer(b, "head_seq")),
                    format_time(integer(b, "created_ms")), text(b, "title")});
    if (b.contains("node")) {
      clustered = true;
      rows.back().insert(rows.back().end() - 1, text(b, "node"));
    }
  }
  if (clustered) print_table({"ID", "KIND", "HEAD", "CREATED", "NODE", "TITLE"}, rows);
  else print_table({"ID", "KIND", "HEAD", "CREATED", "TITLE"}, rows);
  std::printf("%zu board%s\n", rows.size(), rows.size() == 1 ? "" : "s");
}

void list(const Remote& remote, bool as_json, bool deleted) {
  json::object r = expect_ok(call(remote, "GET", deleted ? "/api/boards?deleted=1" : "/api/boards"));
  const json::value* boards = r.if_contains("boards");
  if (!boards || !boards->is_array()) fail(1, "the server's answer has no boards");
  if (as_json) std::printf("%s\n", json::serialize(*boards).c_str());
  else print_boards(boards->as_array());
  // A node that did not answer: its boards are missing, and the exit status says so.
  if (const json::value* gone = r.if_contains("unreachable"); gone && gone->is_array() && !gone->as_array().empty()) {
    for (const json::value& n : gone->as_array())
      if (n.is_string()) std::fprintf(stderr, "tandem: node %s did not answer: its boards are not listed\n", n.as_string().c_str());
    fail(1, "");
  }
}

void rename(const Remote& remote, const std::string& id, const std::string& title) {
  json::object r = expect_ok(call(remote, "PATCH", "/api/boards/" + id, json::serialize(json::object{{"title", title}})));
  std::printf("board %s is now \"%s\"\n", id.c_str(), text(r, "title").c_str());
}

void remove(const Remote& remote, const std::string& id, bool yes) {
  if (!yes) {
    if (!isatty(STDIN_FILENO)) fail(2, "board delete " + id + ": add --yes to delete without being asked");
    json::object info = expect_ok(call(remote, "GET", "/api/boards/" + id));
    std::printf("Delete board %s \"%s\" and everything on it? [y/N] ", id.c_str(), text(info, "title").c_str());
    std::fflush(stdout);
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "y" && answer != "Y" && answer != "yes") fail(1, "not deleted");
  }
  expect_ok(call(remote, "DELETE", "/api/boards/" + id));
  std::printf("board %s deleted\n", id.c_str());
}

}  // namespace

void add_board_commands(CLI::App& app, const Remote& remote) {
  CLI::App* board = app.add_subcommand("board", "create, list, rename and delete boards on a running server");
  board->require_subcommand(1);

  auto c = std::make_shared<CreateArgs>();
  CLI::App* create_cmd = board->add_subcommand("create", "create a board; prints its id and owner link");
  create_cmd->add_option("--kind", c->kind, "discovery or backlog")->required()->check(CLI::IsMember({"discovery", "backlog"}));
  create_cmd->add_option("--title", c->title, "its title (default: Discovery / Backlog)");
  create_cmd->add_option("--template", c->tpl,
                         "a discovery layout: blank, problem_framing, opportunity_solution_experiment, "
                         "affinity_map, retro");
  create_cmd->add_option("--name", c->name, "your display name as the board's first owner")->capture_default_str();
  create_cmd->add_flag("--json", c->json, "print JSON");
  create_cmd->callback([&remote, c] { create(remote, *c); });

  auto json_out = std::make_shared<bool>(false);
  auto deleted = std::make_shared<bool>(false);
  CLI::App* list_cmd = board->add_subcommand("list", "every board: id, kind, head seq, created, title");
  list_cmd->add_flag("--json", *json_out, "print JSON");
  list_cmd->add_flag("--deleted", *deleted, "include deleted boards");
  list_cmd->callback([&remote, json_out, deleted] { list(remote, *json_out, *deleted); });

  auto id = std::make_shared<std::string>();
  auto title = std::make_shared<std::string>();
  CLI::App* rename_cmd = board->add_subcommand("rename", "give a board a new title (every member sees it)");
  rename_cmd->add_option("ID", *id, "the board")->required();
  rename_cmd->add_option("TITLE", *title, "the new title")->required();
  rename_cmd->callback([&remote, id, title] { rename(remote, *id, *title); });

  auto del_id = std::make_shared<std::string>();
  auto yes = std::make_shared<bool>(false);
  CLI::App* delete_cmd = board->add_subcommand("delete", "delete a board and everything on it");
  delete_cmd->add_option("ID", *del_id, "the board")->required();
  delete_cmd->add_flag("--yes,-y", *yes, "do not ask");
  delete_cmd->callback([&remote, del_id, yes] { remove(remote, *del_id, *yes); });
}

}  // namespace tandem::cli
