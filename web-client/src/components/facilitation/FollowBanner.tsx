// "Following Alice · Stop" (FAC-8), or, after stepping out of a facilitator's
// follow-me, a way back in.
import type { Workshop } from "./workshop";

export function FollowBanner({ w }: { w: Workshop }) {
  const { following, offer } = w.follow.banner.value;
  if (following) {
    const who = following.why === "person" ? following.name : `${following.name} (facilitator)`;
    return (
      <div class="workshop-banner follow-banner" data-testid="follow-banner" role="status">
        <span>Following <strong>{who}</strong></span>
        {!w.display && <button class="button small" data-testid="stop-follow" onClick={() => w.follow.stop()}>Stop following</button>}
      </div>
    );
  }
  if (offer) {
    return (
      <div class="workshop-banner follow-banner" data-testid="follow-offer" role="status">
        <span><strong>{offer.name}</strong> asks everyone to follow</span>
        <button class="button small" data-testid="rejoin-follow" onClick={() => w.follow.rejoin()}>Follow again</button>
      </div>
    );
  }
  return null;
}
