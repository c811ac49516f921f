// The connection status pill: "Live", "Reconnecting… · 2 pending changes kept", …
import type { Status } from "../sync/syncClient";

export function StatusPill({ status, text }: { status: Status; text: string }) {
  return <span class="status" data-testid="status" data-status={status} role="status" aria-live="polite">{text}</span>;
}
