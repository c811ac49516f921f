// The landing page: create a discovery board (from a template) or a backlog board
// through the HTTP API (SPEC API-1), import one from a file (ImportDialog.tsx), or
// open one of "Your boards".
import { LayoutGrid, ListTodo } from "lucide";
import { useRef, useState } from "preact/hooks";
import { ApiError, api } from "../access/api";
import type { BoardKindName } from "../access/memberships";
import { memberships, nameProblem } from "../access/memberships";
import { BoardTemplate } from "../gen/board_pb";
import { apiText } from "../sync/rejectText";
import { Icon } from "../ui/icon";
import { ImportPanel } from "./ImportDialog";
import { YourBoards } from "./YourBoards";

const TEMPLATES: [BoardTemplate, string, string][] = [
  [BoardTemplate.UNSPECIFIED, "Blank canvas", "An empty discovery board"],
  [BoardTemplate.PROBLEM_FRAMING, "Problem framing", "Who, what, why, how might we"],
  [BoardTemplate.OPPORTUNITY_SOLUTION_EXPERIMENT, "Opportunities, solutions, experiments", "Three lanes and an experiment card"],
  [BoardTemplate.AFFINITY_MAP, "Affinity map", "Raw notes and themes to cluster them into"],
  [BoardTemplate.RETRO, "Retro", "Went well, to improve, actions"],
];

export const CREATE_NEEDS_ADMIN = "Creating boards needs an admin token on this server";

export function Landing() {
  const title = useRef<HTMLInputElement>(null);
  const name = useRef<HTMLInputElement>(null);
  const admin = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [needAdmin, setNeedAdmin] = useState(false); // after a 403: `--create-boards admin` (the token is never stored)
  const [busy, setBusy] = useState(false);
  const [knownName] = useState(() => memberships.knownName() ?? "");

  const go = async (kind: BoardKindName, template = BoardTemplate.UNSPECIFIED) => {
    const who = name.current!.value, adminToken = admin.current?.value.trim() ?? "";
    const t = title.current!.value.trim();
    const bad = nameProblem(who);
    if (bad) {
      setProblem(`Your name: ${bad.toLowerCase()}`);
      name.current!.focus();
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      const g = await api.createBoard({ title: t || (kind === "backlog" ? "Backlog" : "Discovery"), kind, template, name: who.trim() }, adminToken || undefined);
      memberships.put(g.boardId, {
        token: g.memberToken, memberId: g.memberId, name: g.name, role: g.role,
        title: g.title ?? t, kind: g.kind ?? kind, visited: Date.now(),
      });
      location.assign(`/b/${g.boardId}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) {
        setNeedAdmin(true);
        setProblem(adminToken ? `${CREATE_NEEDS_ADMIN}: this one was refused` : CREATE_NEEDS_ADMIN);
      } else setProblem(apiText(e instanceof ApiError ? e.status : 0, "create the board"));
      setBusy(false);
    }
  };

  return (
    <main class="landing">
      <header class="brand">
        <Icon node={LayoutGrid} size={34} />
        <h1>Tandem</h1>
      </header>
      <p class="muted lead">Discovery boards and live backlogs for product teams.</p>
      <section class="panel fields">
        <label>Your name <input ref={name} class="input" defaultValue={knownName} placeholder="How others see you" maxLength={64}
          autocomplete="name" data-testid="user-name" onChange={(e) => {
            const v = e.currentTarget.value;
            if (!nameProblem(v)) memberships.rememberName(v.trim());
          }} /></label>
        <label>New board title <input ref={title} class="input" placeholder="Board title" data-testid="new-title" maxLength={200} /></label>
        <label hidden={!needAdmin}>Admin token (ask whoever runs this server) <input ref={admin} class="input" type="password" placeholder="Admin token" autocomplete="off" data-testid="admin-token" /></label>
        <p class="form-error wide" data-testid="create-error" role="alert" hidden={problem === null}>{problem ?? ""}</p>
      </section>
      <section class="panel">
        <h2>New discovery board</h2>
        <div class="templates">
          {TEMPLATES.map(([t, label, hint]) => (
            <button key={t} class="template" data-testid={`template-${t}`} disabled={busy} onClick={() => void go("discovery", t)}>
              <strong>{label}</strong><span class="muted">{hint}</span>
            </button>
          ))}
        </div>
      </section>
      <section class="panel">
        <h2>New backlog board</h2>
        <div><button class="button primary" data-testid="new-backlog" disabled={busy} onClick={() => void go("backlog")}><Icon node={ListTodo} size={16} /><span>Create backlog</span></button></div>
        <p class="muted small-text">An ordered list the product owner reorders live, with status columns. Promote notes into it from discovery boards.</p>
      </section>
      <ImportPanel name={() => name.current?.value ?? ""} />
      <YourBoards />
    </main>
  );
}
