// One active invite link in the Share dialog: its role, expiry and label, the link,
// Copy and Revoke.
import { Check, Copy, Trash2 } from "lucide";
import { useState } from "preact/hooks";
import type { Invite } from "../access/api";
import { Icon } from "../ui/icon";
import { ROLE_LABEL, copyText, expiryText } from "../ui/share";

const COPIED_MS = 1500; // how long a Copy button says "Copied"

export function InviteRow({ invite: i, link, fresh, now, onRevoke }: {
  invite: Invite; link: string; fresh: boolean; now: number; onRevoke: () => Promise<boolean>;
}) {
  const [copyLabel, setCopyLabel] = useState("Copy");
  const [revoking, setRevoking] = useState(false);
  const copy = async (e: Event) => {
    const field = (e.currentTarget as HTMLElement).parentElement!.querySelector("input")!;
    if (await copyText(link, field)) {
      setCopyLabel("Copied");
      setTimeout(() => setCopyLabel("Copy"), COPIED_MS);
    } else setCopyLabel("Press Ctrl+C");
  };
  const revoke = async () => {
    setRevoking(true);
    if (!(await onRevoke())) setRevoking(false);
  };
  return (
    <div class={"invite" + (fresh ? " fresh" : "")} data-testid="invite" data-role={i.role} data-nonce={i.nonce}>
      <div class="invite-meta">
        <span class={`role-badge role-${i.role}`}>{ROLE_LABEL[i.role]}</span>
        <span class="muted">{expiryText(i.expiresMs, now)}</span>
        {i.label ? <span class="invite-label">{i.label}</span> : null}
      </div>
      <div class="invite-actions">
        <input class="input link-text" readOnly value={link} data-testid="invite-url" aria-label={`Invite link for a ${i.role}`}
          onFocus={(e) => e.currentTarget.select()} />
        <button class="button" type="button" data-testid="invite-copy" onClick={copy}><Icon node={copyLabel === "Copied" ? Check : Copy} size={16} /><span>{copyLabel}</span></button>
        <button class="button danger" type="button" data-testid="invite-revoke" disabled={revoking} onClick={revoke}
          aria-label={`Revoke this ${i.role} link`} title="Revoke: the link stops working and everyone who joined with it leaves"><Icon node={Trash2} size={16} /><span>Revoke</span></button>
      </div>
    </div>
  );
}
