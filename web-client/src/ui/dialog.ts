// Opens a modal (a components/Dialog.tsx tree) in a host of its own at the end of
// <body>; close() unmounts it, so the dialog puts focus back where it was.
import type { VNode } from "preact";
import { render } from "preact";

export interface Dialog {
  close(): void;
}

/** `make` gets the close function to hand to its <Dialog onClose>. */
export function openDialog(make: (close: () => void) => VNode<any>): Dialog { // eslint-disable-line @typescript-eslint/no-explicit-any
  const host = document.createElement("div");
  document.body.append(host);
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    render(null, host);
    host.remove();
  };
  render(make(close), host);
  return { close };
}
