// The page's one icon set: lucide's icon nodes, drawn as inline SVG, from plain DOM
// (`icon(Plus)`) and from Preact (`<Icon node={Plus} />`). Import the node you need
// from "lucide" (only the icons used end up in the bundle). Icons are decoration:
// aria-hidden; the button around one carries the name (aria-label and a tooltip).
import type { IconNode } from "lucide";
import { createElement as pe } from "preact";
import type { VNode } from "preact";

export type { IconNode };

const SVG_NS = "http://www.w3.org/2000/svg";

/** The <svg> attributes every icon shares (lucide's defaults, sized by CSS `.icon`). */
function svgAttrs(size: number): Record<string, string> {
  return {
    xmlns: SVG_NS, width: String(size), height: String(size), viewBox: "0 0 24 24", fill: "none",
    stroke: "currentColor", "stroke-width": "2", "stroke-linecap": "round", "stroke-linejoin": "round",
    class: "icon", "aria-hidden": "true", focusable: "false",
  };
}

/** The icon as a DOM element, for the imperative views (canvas, backlog). */
export function icon(node: IconNode, size = 18): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, "svg");
  for (const [k, v] of Object.entries(svgAttrs(size))) svg.setAttribute(k, v);
  for (const [tag, attrs] of node) {
    const child = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined) child.setAttribute(k, String(v));
    svg.append(child);
  }
  return svg;
}

/** The icon as a Preact element, for the chrome (src/components/). */
export function Icon({ node, size = 18 }: { node: IconNode; size?: number }): VNode {
  return pe("svg", svgAttrs(size), ...node.map(([tag, attrs], i) => pe(tag, { key: i, ...attrs })));
}
