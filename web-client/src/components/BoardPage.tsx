// A board page's chrome around the canvas: header, stop banner, the canvas (an
// imperative view, mounted once and never touched by Preact) and the toast.
import type { Signal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { Component } from "preact";
import { Banner } from "./Banner";
import { FacilitateToggle } from "./facilitation/FacilitateToggle";
import { FacilitatorBar } from "./facilitation/FacilitatorBar";
import { FollowBanner } from "./facilitation/FollowBanner";
import { PrivateNotice } from "./facilitation/PrivateNotice";
import type { Workshop } from "./facilitation/workshop";
import { WorkshopStatus } from "./facilitation/WorkshopStatus";
import type { BoardSignals } from "./boardSignals";
import type { HeaderActions } from "./Header";
import { Header } from "./Header";
import type { HistoryBarProps } from "./history/HistoryBar";
import { HistoryBar } from "./history/HistoryBar";
import type { ToastMessage } from "./Toast";
import { Toast } from "./Toast";

export interface BoardPageProps {
  signals: BoardSignals;
  toast: Signal<ToastMessage | null>;
  toastMs: number;
  onToastDone: () => void;
  actions: HeaderActions & { takeOver(): void };
  canvas: HTMLElement; // the .board-body the discovery or backlog view draws into
  workshop?: Workshop;
  /** The board menu (history and export) in the header. */
  menu?: ComponentChildren;
  /** History mode (components/history/): its bar replaces the workshop's while it is open. */
  history?: HistoryBarProps;
}

export function BoardPage({ signals, toast, toastMs, onToastDone, actions, canvas, workshop: w, menu, history }: BoardPageProps) {
  const following = w?.follow.banner.value.following?.clientId ?? null;
  const past = history?.store.open.value === true;
  return (
    <>
      <Header state={signals.header} peers={signals.peers} actions={actions} workshop={w && <WorkshopStatus w={w} />} facilitate={w && <FacilitateToggle w={w} />}
        onFollow={w && !w.display && !past ? (id, name) => w.follow.followPerson(id, name) : undefined} following={following}
        menu={menu} frozen={past} />
      <Banner stop={signals.stop} onTakeOver={actions.takeOver} />
      {past && history && <HistoryBar {...history} />}
      {w && !past && <FacilitatorBar w={w} />}
      {w && !past && <FollowBanner w={w} />}
      {w && !past && <PrivateNotice w={w} />}
      <CanvasHost el={canvas} />
      <Toast toast={toast} ms={toastMs} onDone={onToastDone} />
    </>
  );
}

/** Puts the canvas element in place once; Preact never re-renders it. */
class CanvasHost extends Component<{ el: HTMLElement }> {
  shouldComponentUpdate() {
    return false;
  }
  render() {
    const put = (d: HTMLDivElement | null) => {
      if (d && !d.contains(this.props.el)) d.append(this.props.el);
    };
    return <div style="display:contents" ref={put} />;
  }
}
