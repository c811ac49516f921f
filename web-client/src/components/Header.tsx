// The board page's header: home link, title, view-only badge, status, who is here,
// Share, undo/redo and me. What a role may not do is not offered (SPEC ROLE-*).
import type { Signal } from "@preact/signals";
import { LayoutGrid, Redo2, Share2, Undo2 } from "lucide";
import type { ComponentChildren } from "preact";
import { userColor } from "../ui/dom";
import { Icon } from "../ui/icon";
import type { HeaderState, PeerChip } from "./boardSignals";
import { BoardTitle } from "./BoardTitle";
import { Peers } from "./Peers";
import { StatusPill } from "./StatusPill";

export interface HeaderActions {
  rename(title: string): void;
  share(): void;
  undo(): void;
  redo(): void;
}

export interface HeaderProps {
  state: Signal<HeaderState>;
  peers: Signal<PeerChip[]>;
  actions: HeaderActions;
  /** The workshop's phase, timer and readiness (components/facilitation/WorkshopStatus). */
  workshop?: ComponentChildren;
  /** The Facilitate button (facilitators and owners), before Share. */
  facilitate?: ComponentChildren;
  /** Follow a person's view (a click on their chip), and whom this page follows. */
  onFollow?: (id: string, name: string) => void;
  following?: string | null;
  /** The board menu (BoardMenu: history and export), before Share. */
  menu?: ComponentChildren;
  /** History mode: the board shown is the past, nothing in the header changes it. */
  frozen?: boolean;
}

export function Header({ state, peers, actions, workshop, facilitate, onFollow, following, menu, frozen = false }: HeaderProps) {
  const s = state.value;
  return (
    <header class="board-header">
      <a href="/" class="home" aria-label="Tandem: your boards" title="Your boards"><Icon node={LayoutGrid} size={18} /><span class="home-name">Tandem</span></a>
      <BoardTitle title={s.title} canRename={s.canRename && !frozen} onRename={actions.rename} />
      <span class="badge view-only" data-testid="view-only" title="You joined with a viewer link: you can look, not change" hidden={!s.viewOnly}>View only</span>
      <StatusPill status={s.status} text={s.statusText} />
      {workshop}
      <Peers peers={peers} onFollow={onFollow} following={following} />
      <div class="spacer" />
      {!frozen && facilitate}
      <div class="history" role="group" aria-label="Undo and redo" hidden={!s.canWrite || frozen}>
        <button type="button" class="button icon-only" data-testid="undo" title="Undo (Ctrl+Z)" aria-label="Undo" aria-keyshortcuts="Control+Z" disabled={!s.canUndo} onClick={actions.undo}><Icon node={Undo2} /></button>
        <button type="button" class="button icon-only" data-testid="redo" title="Redo (Ctrl+Shift+Z)" aria-label="Redo" aria-keyshortcuts="Control+Shift+Z" disabled={!s.canRedo} onClick={actions.redo}><Icon node={Redo2} /></button>
      </div>
      {menu}
      <button type="button" class="button primary" data-testid="share" title="Invite people with a link" hidden={!s.canShare} onClick={actions.share}><Icon node={Share2} size={16} /><span>Share</span></button>
      <span class="me" style={`--c:${userColor(s.me)}`} data-testid="me" title={`You, ${s.role}`}>{s.me}</span>
    </header>
  );
}
