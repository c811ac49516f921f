// Why this page stopped (SPEC CLOSE-3: revoked, deleted, opened elsewhere, out of
// date) and what to do about it.
import type { Signal } from "@preact/signals";
import { TriangleAlert } from "lucide";
import { Icon } from "../ui/icon";
import { STOPPED_TEXT } from "../sync/statusText";
import type { Stop } from "./boardSignals";

export function Banner({ stop, onTakeOver }: { stop: Signal<Stop | null>; onTakeOver: () => void }) {
  const reason = stop.value;
  if (!reason) return <div class="banner" data-testid="ended" role="alert" hidden />;
  const [head, detail] = STOPPED_TEXT[reason];
  return (
    <div class="banner" data-testid="ended" role="alert" data-reason={reason}>
      <Icon node={TriangleAlert} />
      <strong>{head}</strong>
      <span>{detail}</span>
      {reason === "replaced" ? <button class="button" data-testid="take-over" onClick={onTakeOver}>Use it here</button>
        : reason === "outdated" ? <button class="button" data-testid="reload" onClick={() => location.reload()}>Reload</button>
          : <a href="/" class="button">Go to your boards</a>}
    </div>
  );
}
