// The facilitator bar (ROLE-8): shown to facilitators and owners only, under the
// header, while the header's Facilitate button has it open. On a phone it scrolls
// sideways in one row.
import { AgendaControls } from "./AgendaControls";
import { DotVotesToggle } from "./DotVotesToggle";
import { FollowMeToggle } from "./FollowMeToggle";
import { LockControls } from "./LockControls";
import { NamesToggle } from "./NamesToggle";
import { PrivateWritingControls } from "./PrivateWritingControls";
import { RoomDisplayLink } from "./RoomDisplayLink";
import { TimerControls } from "./TimerControls";
import { VotingControls } from "./VotingControls";
import type { Workshop } from "./workshop";

export function FacilitatorBar({ w }: { w: Workshop }) {
  if (!w.state.value.facilitator || w.display || !w.barOpen.value) return null;
  return (
    <section class="facilitator-bar" id="facilitator-bar" data-testid="facilitator-bar" aria-label="Facilitator controls">
      <div class="fac-controls">
        <AgendaControls w={w} />
        <TimerControls w={w} />
        <PrivateWritingControls w={w} />
        <NamesToggle w={w} />
        <VotingControls w={w} />
        <LockControls w={w} />
        <div class="fac-group" role="group" aria-label="View and options">
          <FollowMeToggle w={w} />
          <DotVotesToggle w={w} />
        </div>
        <RoomDisplayLink w={w} />
      </div>
    </section>
  );
}
