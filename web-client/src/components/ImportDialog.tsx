// "Import a board" (landing page): a .json file exported from Tandem, or a backlog as
// a .csv (Jira's column names understood), chosen with the file picker or dropped,
// with an optional title; on success the new board opens (SPEC EXPORT-*). A refusal
// shows the server's reason; a server where only admins create boards asks for the
// admin token, as creating a board does (API-1).
import { FileUp } from "lucide";
import { createElement } from "preact";
import { useRef, useState } from "preact/hooks";
import { ApiError } from "../access/api";
import { memberships, nameProblem } from "../access/memberships";
import { fileProblem, transfer, transferText } from "../access/transfer";
import { openDialog } from "../ui/dialog";
import { Icon } from "../ui/icon";
import { openNewBoard } from "../ui/newBoard";
import { Dialog } from "./Dialog";
import "./history/history.css";

export interface ImportDialogProps {
  name: string; // the name typed on the landing page, if any
  file?: File | null; // dropped on the landing page
  onClose: () => void;
}

export function ImportDialog({ name: typed, file: dropped = null, onClose }: ImportDialogProps) {
  const [file, setFile] = useState<File | null>(dropped);
  const [problem, setProblem] = useState<string | null>(dropped ? problemOf(dropped) : null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const [needAdmin, setNeedAdmin] = useState(false);
  const title = useRef<HTMLInputElement>(null);
  const name = useRef<HTMLInputElement>(null);
  const admin = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);

  const take = (f: File | null | undefined) => {
    if (!f) return;
    setFile(f);
    setProblem(problemOf(f));
  };
  const go = async (e: Event) => {
    e.preventDefault();
    if (!file) return setProblem("Choose a file to import");
    const checked = fileProblem(file);
    if ("problem" in checked) return setProblem(checked.problem);
    const who = name.current!.value.trim();
    const bad = nameProblem(who);
    if (bad) {
      setProblem(`Your name: ${bad.toLowerCase()}`);
      name.current!.focus();
      return;
    }
    memberships.rememberName(who);
    setBusy(true);
    setProblem(null);
    const adminToken = admin.current?.value.trim() || undefined;
    const t = title.current!.value.trim();
    try {
      const g = await transfer.importBoard(file, checked.format, { title: t, name: who, adminToken });
      onClose();
      openNewBoard(g, { title: t || file.name.replace(/\.[^.]*$/, ""), kind: checked.format === "csv" ? "backlog" : "discovery", name: who });
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) {
        setNeedAdmin(true);
        setProblem(adminToken ? "Importing needs an admin token on this server: this one was refused" : "Importing needs an admin token on this server");
      } else setProblem(transferText(err, "import this file"));
      setBusy(false);
    }
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer?.files[0]);
  };
  return (
    <Dialog title="Import a board" testid="import-dialog" onClose={onClose}>
      <form class="fields transfer-form" onSubmit={go}>
        <div class={"drop-zone" + (over ? " over" : "")} data-testid="import-drop"
          onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={drop}>
          <Icon node={FileUp} size={28} />
          <p data-testid="import-file-name">{file ? file.name : "Drop a file here"}</p>
          <p class="muted small-text">A board exported from Tandem (.json), or a backlog as a spreadsheet (.csv; a Jira export works)</p>
          <button type="button" class="button" onClick={() => picker.current?.click()}>{file ? "Choose another file" : "Choose a file"}</button>
          <input ref={picker} type="file" accept=".json,.csv,application/json,text/csv" hidden data-testid="import-file" aria-label="File to import"
            onChange={(e) => take(e.currentTarget.files?.[0])} />
        </div>
        <label><span>Title of the new board (optional)</span>
          <input ref={title} class="input" data-testid="import-title" maxLength={200} placeholder="The file's title" /></label>
        <label><span>Your name</span>
          <input ref={name} class="input" data-testid="import-name" maxLength={64} autocomplete="name" placeholder="How others see you"
            defaultValue={typed.trim() || memberships.knownName() || ""} /></label>
        <label hidden={!needAdmin}><span>Admin token (ask whoever runs this server)</span>
          <input ref={admin} class="input" type="password" autocomplete="off" data-testid="import-admin" /></label>
        <p class="form-error" role="alert" data-testid="import-error" hidden={!problem}>{problem ?? ""}</p>
        <div class="row end">
          <button type="button" class="button" onClick={onClose}>Cancel</button>
          <button type="submit" class="button primary" data-testid="import-go" disabled={busy || !file}>{busy ? "Importing…" : "Import"}</button>
        </div>
      </form>
    </Dialog>
  );
}

/** The landing page's "Import a board" panel: its button opens the dialog; a file dropped on it too. */
export function ImportPanel({ name }: { name: () => string }) {
  const [over, setOver] = useState(false);
  const open = (file: File | null = null) =>
    openDialog((close) => createElement(ImportDialog, { name: name(), file, onClose: close }));
  return (
    <section class={"panel import-panel" + (over ? " over" : "")} data-testid="import-panel"
      onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)}
      onDrop={(e) => { e.preventDefault(); setOver(false); open(e.dataTransfer?.files[0] ?? null); }}>
      <h2>Import a board</h2>
      <p class="muted small-text">From a file exported from Tandem (.json), or a backlog from a spreadsheet or Jira (.csv). Drop it here or choose it.</p>
      <div><button type="button" class="button" data-testid="import-board" onClick={() => open()}><Icon node={FileUp} size={16} /><span>Import a board</span></button></div>
    </section>
  );
}

function problemOf(f: File): string | null {
  const c = fileProblem(f);
  return "problem" in c ? c.problem : null;
}
