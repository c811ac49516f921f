// The landing page: create a discovery board (from a template) or a backlog board
// through the HTTP API (SPEC API-1), or open one of "Your boards": the boards this
// browser holds a membership for.
import { BoardTemplate } from "../gen/board_pb";
import { ApiError, api } from "../access/api";
import type { BoardKindName } from "../access/memberships";
import { memberships, nameProblem } from "../access/memberships";
import { clear, h } from "./dom";

const TEMPLATES: [BoardTemplate, string, string][] = [
  [BoardTemplate.UNSPECIFIED, "Blank canvas", "An empty discovery board"],
  [BoardTemplate.PROBLEM_FRAMING, "Problem framing", "Who, what, why, how might we"],
  [BoardTemplate.OPPORTUNITY_SOLUTION_EXPERIMENT, "Opportunities, solutions, experiments", "Three lanes and an experiment card"],
  [BoardTemplate.AFFINITY_MAP, "Affinity map", "Raw notes and themes to cluster them into"],
  [BoardTemplate.RETRO, "Retro", "Went well, to improve, actions"],
];

export const CREATE_NEEDS_ADMIN = "Creating boards needs an admin token on this server";

export function mountLanding(root: HTMLElement): void {
  clear(root);
  const title = h("input", { class: "input", placeholder: "Board title", "data-testid": "new-title", value: "", maxlength: 200 });
  const name = h("input", { class: "input", value: memberships.knownName() ?? "", placeholder: "How others see you", maxlength: 64, autocomplete: "name", "data-testid": "user-name" });
  const problem = h("p", { class: "form-error", "data-testid": "create-error", role: "alert", hidden: true });
  // Shown after a 403: with `--create-boards admin` the server wants the admin token (never stored).
  const admin = h("input", { class: "input", type: "password", placeholder: "Admin token", autocomplete: "off", "data-testid": "admin-token" });
  const adminRow = h("label", { hidden: true }, "Admin token ", admin);
  const buttons: HTMLButtonElement[] = [];
  const say = (msg: string | null) => {
    problem.textContent = msg ?? "";
    problem.hidden = msg === null;
  };

  const go = async (kind: BoardKindName, template = BoardTemplate.UNSPECIFIED) => {
    const bad = nameProblem(name.value);
    if (bad) {
      say(`Your name: ${bad.toLowerCase()}`);
      name.focus();
      return;
    }
    say(null);
    for (const b of buttons) b.disabled = true;
    try {
      const g = await api.createBoard({
        title: title.value.trim() || (kind === "backlog" ? "Backlog" : "Discovery"), kind, template, name: name.value.trim(),
      }, admin.value.trim() || undefined);
      memberships.put(g.boardId, {
        token: g.memberToken, memberId: g.memberId, name: g.name, role: g.role,
        title: g.title ?? title.value.trim(), kind: g.kind ?? kind, visited: Date.now(),
      });
      location.assign(`/b/${g.boardId}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) {
        adminRow.hidden = false;
        say(admin.value ? `${CREATE_NEEDS_ADMIN}: this one was refused` : CREATE_NEEDS_ADMIN);
      } else say(e instanceof Error ? `Could not create the board: ${e.message}` : String(e));
      for (const b of buttons) b.disabled = false;
    }
  };
  name.addEventListener("change", () => {
    if (!nameProblem(name.value)) memberships.rememberName(name.value.trim());
  });
  const button = (attrs: Record<string, string>, onclick: () => void, ...children: (Node | string)[]) => {
    const b = h("button", { ...attrs, onclick }, ...children);
    buttons.push(b);
    return b;
  };

  root.append(
    h("main", { class: "landing" },
      h("h1", {}, "Tandem"),
      h("p", { class: "muted" }, "Discovery boards and live backlogs for product teams."),
      h("section", { class: "panel" },
        h("label", {}, "Your name ", name),
        h("label", {}, "New board title ", title),
        adminRow, problem),
      h("section", { class: "panel" },
        h("h2", {}, "New discovery board"),
        h("div", { class: "templates" },
          ...TEMPLATES.map(([t, label, hint]) =>
            button({ class: "template", "data-testid": `template-${t}` }, () => void go("discovery", t),
              h("strong", {}, label), h("span", { class: "muted" }, hint))))),
      h("section", { class: "panel" },
        h("h2", {}, "New backlog board"),
        h("div", {}, button({ class: "button primary", "data-testid": "new-backlog" }, () => void go("backlog"), "Create backlog"))),
      yourBoards(),
    ),
  );
}

function yourBoards(): HTMLElement {
  const section = h("section", { class: "panel", "data-testid": "your-boards" }, h("h2", {}, "Your boards"));
  const list = memberships.all();
  if (list.length === 0) {
    section.append(h("p", { class: "muted" }, "None yet. Create one above, or open an invite link someone sent you."));
    return section;
  }
  const ul = h("ul", { class: "boards" });
  for (const m of list) {
    const li = h("li", { "data-testid": "your-board", "data-board": m.boardId },
      h("a", { href: `/b/${m.boardId}`, class: "board-link" }, m.title || m.boardId),
      h("span", { class: "muted" }, m.kind),
      h("span", { class: `role-badge role-${m.role}` }, m.role),
      h("button", {
        class: "button small quiet", title: "Forget this board on this browser (you will need a new invite link)",
        "aria-label": `Forget ${m.title || m.boardId}`,
        onclick: () => {
          if (!confirm(`Forget "${m.title || m.boardId}" on this browser? You will need a new invite link to open it again.`)) return;
          memberships.forget(m.boardId);
          li.remove();
        },
      }, "Forget"));
    ul.append(li);
  }
  section.append(ul);
  return section;
}
