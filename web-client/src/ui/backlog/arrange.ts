// Puts elements in order in a container with as few DOM moves as it takes, never
// moving the anchor (the row holding the focus): the others are placed around it,
// so the caret, the selection and the IME state in it are never disturbed.

export function arrange(container: HTMLElement, want: readonly HTMLElement[], anchor: HTMLElement | null): void {
  const wanted = new Set<Element>(want);
  for (const c of [...container.children]) if (!wanted.has(c)) c.remove();
  const at = anchor ? want.indexOf(anchor) : -1;
  if (at < 0) {
    let prev: Element | null = null;
    for (const el of want) {
      if ((prev ? prev.nextElementSibling : container.firstElementChild) !== el) {
        if (prev) prev.after(el);
        else container.prepend(el);
      }
      prev = el;
    }
    return;
  }
  let ref: Element = anchor!;
  for (let i = at - 1; i >= 0; i--) {
    if (want[i].nextElementSibling !== ref) container.insertBefore(want[i], ref);
    ref = want[i];
  }
  ref = anchor!;
  for (const el of want.slice(at + 1)) {
    if (ref.nextElementSibling !== el) ref.after(el);
    ref = el;
  }
}
