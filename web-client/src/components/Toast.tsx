// A one-line message at the bottom of the page, gone after `ms`. Three kinds, styled
// apart so that only real failures look like errors: a hint (what to do, e.g. "Select
// one note to promote"), a success (e.g. changes kept offline were sent), an error (the
// server refused a change: it was undone).
import type { Signal } from "@preact/signals";
import type { IconNode } from "lucide";
import { CircleAlert, CircleCheck, Info } from "lucide";
import { useEffect } from "preact/hooks";
import { Icon } from "../ui/icon";

export type ToastKind = "hint" | "success" | "error";

export interface ToastMessage {
  text: string;
  id: number; // a new id restarts the timer, even for the same text
  kind: ToastKind;
}

const ICON: Record<ToastKind, IconNode> = { hint: Info, success: CircleCheck, error: CircleAlert };

export function Toast({ toast, ms, onDone }: { toast: Signal<ToastMessage | null>; ms: number; onDone: () => void }) {
  const message = toast.value;
  useEffect(() => {
    if (!message) return;
    const t = setTimeout(onDone, ms);
    return () => clearTimeout(t);
  }, [message?.id]);
  const kind = message?.kind ?? "hint";
  return (
    <div class={`toast toast-${kind}`} data-testid="toast" data-kind={kind} role={kind === "error" ? "alert" : "status"} aria-live={kind === "error" ? "assertive" : "polite"} hidden={!message}>
      {message && <Icon node={ICON[kind]} />}
      <span data-testid="toast-text">{message?.text ?? ""}</span>
    </div>
  );
}
