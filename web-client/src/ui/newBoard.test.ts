// After an import: the CSV columns left out are told once, on the new board's page.
import { describe, expect, it } from "vitest";
import { MemoryStorage } from "../testing/memoryStorage";
import { skippedText, takeNotice } from "./newBoard";

describe("import notices", () => {
  it("names the columns left out, a few at most", () => {
    expect(skippedText([])).toBeNull();
    expect(skippedText(["Assignee"])).toBe("Imported. One column has no place in a backlog and was left out: Assignee");
    expect(skippedText(["Assignee", "Sprint", "Sprint"])).toBe("Imported. 2 columns have no place in a backlog and were left out: Assignee, Sprint");
    expect(skippedText(["a", "b", "c", "d", "e", "f", "g", "h"])).toMatch(/: a, b, c, d, e, f and 2 more$/);
  });

  it("gives the message to its board's page once", () => {
    const s = new MemoryStorage();
    s.setItem("tandem:notice", JSON.stringify({ board: "B1", text: "Imported." }));
    expect(takeNotice("B2", s)).toBeNull();
    expect(takeNotice("B1", s)).toBe("Imported.");
    expect(takeNotice("B1", s)).toBeNull();
  });
});
