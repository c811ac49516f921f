// The header's board menu (⋮): History (the board as it was, read-only) and Export
// (a file of the board: JSON always, a Markdown summary of a discovery board, a CSV of a
// backlog; SPEC EXPORT-*). A menu button: Enter, Space or ArrowDown opens it on the
// first item, arrows move, Escape closes it and gives focus back to the button.
import { Download, EllipsisVertical, History } from "lucide";
import type { Signal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import type { BoardKindName } from "../access/memberships";
import type { ExportFormat } from "../access/transfer";
import { EXPORT_LABEL, exportFormats } from "../access/transfer";
import { Icon } from "../ui/icon";
import "./history/history.css";

export interface BoardMenuProps {
  kind: Signal<BoardKindName>;
  inHistory: Signal<boolean>;
  onExport: (f: ExportFormat) => void;
  onHistory: () => void;
}

export function BoardMenu({ kind, inHistory: past, onExport, onHistory }: BoardMenuProps) {
  const formats = exportFormats(kind.value);
  const inHistory = past.value;
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const items = () => [...(wrap.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const outside = (e: PointerEvent) => {
      if (!wrap.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", outside, true);
    return () => document.removeEventListener("pointerdown", outside, true);
  }, [open]);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const all = items(), i = all.indexOf(document.activeElement as HTMLElement);
    if (e.key === "Escape") {
      e.stopPropagation();
      close();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      all[(i + (e.key === "ArrowDown" ? 1 : all.length - 1)) % all.length]?.focus();
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      all[e.key === "Home" ? 0 : all.length - 1]?.focus();
    } else if (e.key === "Tab") setOpen(false);
  };
  const pick = (fn: () => void) => () => {
    close();
    fn();
  };
  return (
    <div class="board-menu" ref={wrap} onKeyDown={open ? onKey : undefined}>
      <button ref={button} type="button" class="button icon-only" data-testid="board-menu" aria-haspopup="menu" aria-expanded={open}
        aria-label="History and export" title="History and export" onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}><Icon node={EllipsisVertical} /></button>
      {open && (
        <div role="menu" aria-label="History and export" data-testid="board-menu-list">
          {!inHistory && <button type="button" role="menuitem" data-testid="menu-history" onClick={pick(onHistory)}>
            <Icon node={History} size={16} /><span>History: see the board as it was</span></button>}
          <div class="menu-heading" role="presentation">Export</div>
          {formats.map((f) => (
            <button key={f} type="button" role="menuitem" data-testid={`export-${f}`} onClick={pick(() => onExport(f))}>
              <Icon node={Download} size={16} /><span>{EXPORT_LABEL[f]}</span></button>
          ))}
        </div>
      )}
    </div>
  );
}
