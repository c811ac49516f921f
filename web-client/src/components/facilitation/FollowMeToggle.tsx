// "Bring everyone here": every client follows this one's view until turned off (FAC-8).
import { op } from "../../sync/ops";
import type { Workshop } from "./workshop";
import { send } from "./workshop";

export function FollowMeToggle({ w }: { w: Workshop }) {
  const on = w.state.value.followingMe;
  return (
    <button class={"button" + (on ? " active" : "")} aria-pressed={on} data-testid="follow-me"
      title="Everyone's view follows yours" onClick={() => send(w, op.setFollow(!on))}>
      {on ? "Everyone follows you" : "Bring everyone here"}
    </button>
  );
}
