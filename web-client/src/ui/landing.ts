// The landing page: create a discovery board (from a template) or a backlog board,
// or open a recent one.
import { BoardTemplate } from "../gen/board_pb";
import { clear, h, recentBoards, setUserName, shortId, userName } from "./dom";

const TEMPLATES: [BoardTemplate, string, string][] = [
  [BoardTemplate.UNSPECIFIED, "Blank canvas", "An empty discovery board"],
  [BoardTemplate.PROBLEM_FRAMING, "Problem framing", "Who, what, why, how might we"],
  [BoardTemplate.OPPORTUNITY_SOLUTION_EXPERIMENT, "Opportunities, solutions, experiments", "Three lanes and an experiment card"],
  [BoardTemplate.AFFINITY_MAP, "Affinity map", "Raw notes and themes to cluster them into"],
  [BoardTemplate.RETRO, "Retro", "Went well, to improve, actions"],
];

export function mountLanding(root: HTMLElement): void {
  clear(root);
  const title = h("input", { class: "input", placeholder: "Board title", "data-testid": "new-title", value: "" });
  const go = (kind: "discovery" | "backlog", template = BoardTemplate.UNSPECIFIED) => {
    const id = shortId();
    const q = new URLSearchParams({ new: kind, title: title.value || (kind === "backlog" ? "Backlog" : "Discovery") });
    if (template) q.set("template", String(template));
    location.assign(`/b/${id}?${q}`);
  };
  const name = h("input", { class: "input", value: userName(), "data-testid": "user-name" });
  name.addEventListener("change", () => setUserName(name.value.trim() || userName()));
  const recent = recentBoards();
  root.append(
    h("main", { class: "landing" },
      h("h1", {}, "Tandem"),
      h("p", { class: "muted" }, "Discovery boards and live backlogs for product teams."),
      h("section", { class: "panel" },
        h("label", {}, "Your name ", name),
        h("label", {}, "New board title ", title)),
      h("section", { class: "panel" },
        h("h2", {}, "New discovery board"),
        h("div", { class: "templates" },
          ...TEMPLATES.map(([t, label, hint]) =>
            h("button", { class: "template", "data-testid": `template-${t}`, onclick: () => go("discovery", t) },
              h("strong", {}, label), h("span", { class: "muted" }, hint))))),
      h("section", { class: "panel" },
        h("h2", {}, "New backlog board"),
        h("button", { class: "button primary", "data-testid": "new-backlog", onclick: () => go("backlog") }, "Create backlog")),
      h("section", { class: "panel" },
        h("h2", {}, "Recent boards"),
        recent.length === 0
          ? h("p", { class: "muted" }, "None yet.")
          : h("ul", { class: "recent" },
              ...recent.map((r) => h("li", {}, h("a", { href: `/b/${r.id}` }, r.title || r.id), h("span", { class: "muted" }, ` ${r.kind}`))))),
    ),
  );
}
