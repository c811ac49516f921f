// Whom this page follows (FAC-8): a person picked from who is here, else the client a
// facilitator asked everyone to follow (unless this page stepped out of it), else, for
// a room display, a facilitator who is here. The canvas moves with the target's
// presence viewport (canvas/follow.ts); the banner says who it is.
import type { Signal } from "@preact/signals";
import { signal } from "@preact/signals";
import { Role } from "../../gen/sync_pb";
import type { SyncClient } from "../../sync/syncClient";

export type FollowWhy = "person" | "facilitator" | "display";

export interface FollowView {
  clientId: string;
  name: string;
  why: FollowWhy;
}

export interface FollowBannerState {
  following: FollowView | null;
  /** A facilitator asks everyone to follow, and this page stepped out: offer to go back. */
  offer: { name: string } | null;
}

export class FollowState {
  readonly banner: Signal<FollowBannerState> = signal({ following: null, offer: null });
  private chosen: { clientId: string; name: string } | null = null;
  private steppedOut = false;
  private askedBy = ""; // the follow-me seen last: a new one brings everyone back in

  constructor(private readonly client: SyncClient, private readonly display: boolean, private readonly moved: () => void) {}

  /** The client to follow now, or null. */
  get target(): string | null {
    return this.banner.peek().following?.clientId ?? null;
  }

  /** Follow a person who is here (a chip in the header). */
  followPerson(clientId: string, name: string): void {
    this.chosen = { clientId, name };
    this.update();
  }

  /** Stop following: the person, or step out of the facilitator's follow-me. */
  stop(): void {
    if (this.chosen) this.chosen = null;
    else this.steppedOut = true;
    this.update();
  }

  /** Back into the facilitator's follow-me. */
  rejoin(): void {
    this.chosen = null;
    this.steppedOut = false;
    this.update();
  }

  /** Re-reads the board's follow-me and who is here. */
  update(): void {
    const c = this.client;
    const asked = c.followTarget;
    const askedKey = asked ? asked.clientId : "";
    if (askedKey !== this.askedBy) {
      this.askedBy = askedKey;
      this.steppedOut = false; // a new follow-me: everyone is brought in
      if (asked) this.chosen = null;
    }
    if (this.chosen && !c.peers.has(this.chosen.clientId)) this.chosen = null; // they left
    let following: FollowView | null = null;
    if (this.chosen) following = { ...this.chosen, why: "person" };
    else if (asked && !this.steppedOut) following = { ...asked, why: "facilitator" };
    else if (this.display && !this.steppedOut) following = this.aFacilitator();
    const offer = asked && !following ? { name: asked.name } : null;
    const before = this.banner.peek();
    if (before.following?.clientId === following?.clientId && before.following?.why === following?.why && before.offer?.name === offer?.name) return;
    this.banner.value = { following, offer };
    this.moved();
  }

  private aFacilitator(): FollowView | null {
    for (const [id, p] of this.client.peers)
      if (p.member.role >= Role.FACILITATOR) return { clientId: id, name: p.member.userName || "The facilitator", why: "display" };
    return null;
  }
}
