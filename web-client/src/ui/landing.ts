// The landing page (components/Landing.tsx): create a board, or open one of yours.
import { createElement, render } from "preact";
import { Landing } from "../components/Landing";

export { CREATE_NEEDS_ADMIN } from "../components/Landing";

export function mountLanding(root: HTMLElement): void {
  render(createElement(Landing, {}), root);
}
