// Every refusal the page shows is in plain words chosen by code: never the server's
// own wording, ids or field names (issue 11).
import { describe, expect, it } from "vitest";
import { ErrorCode, RejectCode } from "../gen/sync_pb";
import { apiText, errorText, promoteErrorText, rejectText } from "./rejectText";

const DEVELOPER = /'|_|\bfield\b|\bop\b|[0-9a-f]{8}-|client_seq|Join\.create|promote_done/;

describe("rejectText", () => {
  it("never shows the server's message, even for codes it does not single out", () => {
    const raw = [
      [RejectCode.ALREADY_PROMOTED, "note 0f8fad5b-d9cb-469f-a165-70867728950e was promoted to b1"],
      [RejectCode.BAD_FIELD, "field 'color' takes a text"],
      [RejectCode.BAD_OP, "client_seq must be at least 1"],
      [RejectCode.UNKNOWN_OBJECT, "no object n1"],
      [RejectCode.DELETED, "object n1 was deleted"],
      [RejectCode.TOO_LONG, "field 'text' is longer than 4000 bytes"],
      [RejectCode.NOT_ALLOWED, "promote needs edit rights on the backlog board"],
      [RejectCode.TOO_MANY_OBJECTS, "a board holds at most 10000 objects"],
      [RejectCode.DUPLICATE_ID, "object n1 exists"],
      [RejectCode.UNSPECIFIED, "whatever"],
    ] as const;
    for (const [code, message] of raw) {
      const text = rejectText(code, message);
      expect(text).not.toContain(message);
      expect(text).not.toMatch(DEVELOPER);
    }
    expect(rejectText(RejectCode.ALREADY_PROMOTED, "")).toBe("This note is already in a backlog");
    expect(rejectText(RejectCode.NOT_ALLOWED, "promote needs edit rights on the backlog board")).toMatch(/backlog you may edit/);
    expect(rejectText(RejectCode.BOARD_LOCKED, "object n1 is locked")).toMatch(/locked this item/);
  });

  it("words server errors, promote failures and HTTP failures by code", () => {
    for (const code of [ErrorCode.UNKNOWN_BOARD, ErrorCode.BAD_REQUEST, ErrorCode.MALFORMED_FRAME, ErrorCode.BAD_PRESENCE, ErrorCode.UNSPECIFIED])
      expect(errorText(code)).not.toMatch(DEVELOPER);
    expect(errorText(ErrorCode.UNKNOWN_BOARD)).toBe("This board does not exist (any more) on this server");
    expect(promoteErrorText("no such backlog board")).toBe("Not sent: that backlog no longer exists");
    expect(promoteErrorText("")).toBe("");
    expect(apiText(0, "create the board")).toMatch(/^Could not reach the server to create the board/);
    expect(apiText(403, "create the link")).toBe("Could not create the link: your role does not allow it");
    expect(apiText(500, "join the board")).not.toMatch(/500|HTTP/);
  });
});
