// The header's Facilitate button (facilitators and owners, ROLE-8): opens and closes
// the facilitator bar, so that a board not running a workshop keeps its height.
import { Presentation } from "lucide";
import { Icon } from "../../ui/icon";
import type { Workshop } from "./workshop";

export function FacilitateToggle({ w }: { w: Workshop }) {
  if (!w.state.value.facilitator || w.display) return null;
  const open = w.barOpen.value;
  return (
    <button class={"button facilitate-toggle" + (open ? " active" : "")} aria-expanded={open} aria-controls="facilitator-bar"
      data-testid="facilitate" aria-label="Facilitate" title="Facilitate: run a workshop (agenda, timer, private writing, votes)" onClick={() => (w.barOpen.value = !open)}>
      <Icon node={Presentation} size={16} /><span>Facilitate</span></button>
  );
}
