// A small in-page modal dialog (never window.prompt): a titled card over a dimmed
// page. role=dialog + aria-modal; focus moves in on open (to [data-autofocus], else
// the first field or button), stays in while Tab cycles, and goes back where it was on
// close. Closed by its buttons, Escape or a click beside it (when closable).
import type { ComponentChildren } from "preact";
import { X } from "lucide";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { Icon } from "../ui/icon";

const FOCUSABLE = "button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

export interface DialogProps {
  title: string;
  testid: string;
  closable?: boolean; // false: only the dialog's own actions end it
  onClose: () => void;
  wide?: boolean;
  children: ComponentChildren;
}

export function Dialog({ title, testid, closable = true, onClose, wide, children }: DialogProps) {
  const card = useRef<HTMLDivElement>(null);
  const [before] = useState(() => document.activeElement as HTMLElement | null); // where focus goes back to
  useLayoutEffect(() => {
    const el = card.current!;
    const first = el.querySelector<HTMLElement>("[data-autofocus]")
      ?? [...el.querySelectorAll<HTMLElement>(FOCUSABLE)].find((x) => !x.classList.contains("dialog-close"))
      ?? el;
    first.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && closable) {
        e.stopPropagation();
        onClose();
      } else if (e.key === "Tab") trapTab(el, e);
    };
    document.addEventListener("keydown", onKey, true);
    return () => {
      document.removeEventListener("keydown", onKey, true);
      if (before?.isConnected) before.focus();
    };
  }, []);
  return (
    <div class="backdrop" onPointerDown={(e) => closable && e.target === e.currentTarget && onClose()}>
      <div ref={card} class={"dialog" + (wide ? " wide" : "")} role="dialog" aria-modal="true" aria-labelledby={`${testid}-title`}
        data-testid={testid} tabIndex={-1}>
        {closable && <button class="dialog-close" title="Close" aria-label="Close" data-testid={`${testid}-close`} onClick={onClose}><Icon node={X} size={18} /></button>}
        <h2 id={`${testid}-title`}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** Keeps Tab and Shift+Tab inside the dialog. */
function trapTab(el: HTMLElement, e: KeyboardEvent): void {
  const all = [...el.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((x) => !x.hidden);
  if (all.length === 0) return;
  const first = all[0], last = all[all.length - 1];
  if (e.shiftKey && (document.activeElement === first || !el.contains(document.activeElement))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (document.activeElement === last || !el.contains(document.activeElement))) {
    e.preventDefault();
    first.focus();
  }
}
