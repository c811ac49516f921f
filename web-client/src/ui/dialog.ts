// A small in-page modal dialog (never window.prompt): a titled card over a dimmed
// page, closed by its buttons, Escape or a click beside it (when closable).
import { h } from "./dom";

export interface Dialog {
  root: HTMLElement;
  close(): void;
}

export function openDialog(opts: {
  title: string;
  testid: string;
  content: (Node | string | null)[];
  closable?: boolean; // false: only the dialog's own actions end it
  onClose?: () => void;
  wide?: boolean;
}): Dialog {
  const closable = opts.closable ?? true;
  const heading = h("h2", { id: `${opts.testid}-title` }, opts.title);
  const card = h("div", {
    class: "dialog" + (opts.wide ? " wide" : ""), role: "dialog", "aria-modal": "true",
    "aria-labelledby": `${opts.testid}-title`, "data-testid": opts.testid,
  }, heading, ...opts.content);
  const backdrop = h("div", { class: "backdrop" }, card);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape" && closable) close();
  };
  function close() {
    backdrop.remove();
    document.removeEventListener("keydown", onKey, true);
    opts.onClose?.();
  }
  if (closable) {
    backdrop.addEventListener("pointerdown", (e) => {
      if (e.target === backdrop) close();
    });
    card.prepend(h("button", { class: "dialog-close", title: "Close", "aria-label": "Close", "data-testid": `${opts.testid}-close`, onclick: () => close() }, "×"));
  }
  document.addEventListener("keydown", onKey, true);
  document.body.append(backdrop);
  return { root: card, close };
}
