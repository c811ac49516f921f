// A one-line message at the bottom of the page (a change the server refused), gone
// after `ms`.
import type { Signal } from "@preact/signals";
import { useEffect } from "preact/hooks";

export interface ToastMessage {
  text: string;
  id: number; // a new id restarts the timer, even for the same text
}

export function Toast({ toast, ms, onDone }: { toast: Signal<ToastMessage | null>; ms: number; onDone: () => void }) {
  const message = toast.value;
  useEffect(() => {
    if (!message) return;
    const t = setTimeout(onDone, ms);
    return () => clearTimeout(t);
  }, [message?.id]);
  return <div class="toast" data-testid="toast" role="status" aria-live="polite" hidden={!message}>{message?.text ?? ""}</div>;
}
