// What a client does when its WebSocket closes, per close code (SPEC CLOSE-3).
//
// Four answers: reconnect at once, reconnect after a short random jitter (the board
// moved to another node: the balancer routes the next connection there, CLUSTER-2),
// reconnect after a backoff, or stop and say why in plain language. Unknown codes back
// off, like a dropped connection.

/** Why a session stopped: the page shows it and does not reconnect by itself. */
export type StopReason = "outdated" | "replaced" | "deleted" | "revoked";

export type CloseAction = "now" | "soon" | "backoff" | StopReason;

export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001; // server shutdown (CLOSE-1)
export const CLOSE_ABNORMAL = 1006; // no close frame: network drop, crash, connection refused
export const CLOSE_TOO_BIG = 1009; // FRAME-3
export const CLOSE_INTERNAL = 1011;
export const CLOSE_TOO_SLOW = 4001; // FLOW-1
export const CLOSE_PROTOCOL_VERSION = 4002; // VER-1
export const CLOSE_STORAGE_FAILURE = 4003;
export const CLOSE_REPLACED = 4004; // JOIN-6
export const CLOSE_BOARD_DELETED = 4005; // API-5
export const CLOSE_UNAUTHORIZED = 4006; // AUTH-2, AUTH-4
export const CLOSE_RATE_LIMITED = 4007; // RATE-1: went on sending past the rate limit
export const CLOSE_MOVED = 4008; // CLUSTER-2: another node serves the board now
export const CLOSE_UNAVAILABLE = 4009; // CLUSTER-5: the board's node does not answer

/** SPEC CLOSE-3, as code. */
export const CLOSE_POLICY: Readonly<Record<number, CloseAction>> = {
  [CLOSE_NORMAL]: "backoff",
  [CLOSE_GOING_AWAY]: "now",
  [CLOSE_ABNORMAL]: "backoff",
  [CLOSE_TOO_BIG]: "backoff",
  [CLOSE_INTERNAL]: "backoff",
  [CLOSE_TOO_SLOW]: "backoff",
  [CLOSE_PROTOCOL_VERSION]: "outdated",
  [CLOSE_STORAGE_FAILURE]: "backoff",
  [CLOSE_REPLACED]: "replaced",
  [CLOSE_BOARD_DELETED]: "deleted",
  [CLOSE_UNAUTHORIZED]: "revoked",
  [CLOSE_RATE_LIMITED]: "backoff",
  [CLOSE_MOVED]: "soon",
  [CLOSE_UNAVAILABLE]: "backoff",
};

/** Why the server closed, in plain language, for codes that back off (CLOSE-3). */
export const CLOSE_TEXT: Readonly<Record<number, string>> = {
  [CLOSE_TOO_BIG]: "A change was too large for the server",
  [CLOSE_TOO_SLOW]: "The connection fell behind: catching up",
  [CLOSE_STORAGE_FAILURE]: "The server could not save: retrying",
  [CLOSE_RATE_LIMITED]: "Too many changes too fast: slowing down, nothing is lost",
  [CLOSE_UNAVAILABLE]: "This board's server is restarting; reconnecting…",
};

/** The plain-language reason for a close, if there is one to show. */
export function closeText(code?: number): string | undefined {
  return code === undefined ? undefined : CLOSE_TEXT[code];
}

/** The action for a close; `undefined` (no code: the page dropped it itself) backs off. */
export function closeAction(code?: number): CloseAction {
  return (code !== undefined && CLOSE_POLICY[code]) || "backoff";
}

export function isStop(a: CloseAction): a is StopReason {
  return a !== "now" && a !== "soon" && a !== "backoff";
}
