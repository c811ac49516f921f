// The connection status pill: "Live", "Reconnecting… · 2 changes kept on this device,
// sent when back online", "Live · 2 changes sent" (sync/statusText.ts).
import type { IconNode } from "lucide";
import { Ban, CircleCheck, CloudOff, RefreshCw } from "lucide";
import type { Status } from "../sync/syncClient";
import { Icon } from "../ui/icon";

const ICON: Record<Status, IconNode> = {
  online: CircleCheck, connecting: RefreshCw, offline: CloudOff, outdated: RefreshCw, replaced: Ban, revoked: Ban, deleted: Ban,
};

export function StatusPill({ status, text }: { status: Status; text: string }) {
  return (
    <span class="status" data-status={status} role="status" aria-live="polite">
      <Icon node={ICON[status]} size={14} />
      <span data-testid="status" data-status={status}>{text}</span>
    </span>
  );
}
