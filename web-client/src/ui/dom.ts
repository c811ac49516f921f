// Tiny DOM helpers: the UI is plain TypeScript, no framework.
type Attrs = Record<string, string | number | boolean | ((ev: never) => void) | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, "").toLowerCase(), v as EventListener);
    else if (k === "class") el.className = String(v);
    else if (k === "value" && "value" in el) (el as HTMLInputElement).value = String(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

/** A short random id for boards: 12 base-62 characters. */
export function shortId(): string {
  const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => digits[b % 62]).join("");
}

export interface RecentBoard {
  id: string;
  title: string;
  kind: "discovery" | "backlog";
  visited: number;
}

const RECENT_KEY = "tandem:recent";

export function recentBoards(): RecentBoard[] {
  try {
    return JSON.parse(localStorage.getItem(RECENT_KEY) ?? "[]") as RecentBoard[];
  } catch {
    return [];
  }
}

export function rememberBoard(b: RecentBoard): void {
  const list = recentBoards().filter((r) => r.id !== b.id);
  list.unshift(b);
  localStorage.setItem(RECENT_KEY, JSON.stringify(list.slice(0, 20)));
}

export function userName(): string {
  let n = localStorage.getItem("tandem:user");
  if (!n) {
    n = "Guest " + Math.floor(100 + Math.random() * 900);
    localStorage.setItem("tandem:user", n);
  }
  return n;
}

export function setUserName(n: string): void {
  localStorage.setItem("tandem:user", n);
}

export function userColor(name: string): string {
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) | 0;
  return `hsl(${Math.abs(hash) % 360} 70% 45%)`;
}
