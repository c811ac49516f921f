// What the columns dialog lets through (ColumnsDialog.tsx): what the server takes
// for UpdateBoard's columns (MODEL-8: 1 to 12 columns of 1-64 bytes), and no twins.
import { describe, expect, it } from "vitest";
import { columnsProblem } from "./ColumnsDialog";

describe("columnsProblem", () => {
  it("accepts names the server takes", () => {
    expect(columnsProblem(["todo", " in progress ", "done"])).toBe("");
    expect(columnsProblem(["x".repeat(64)])).toBe("");
  });

  it("says in plain words what is wrong", () => {
    expect(columnsProblem([])).toBe("Keep at least one column.");
    expect(columnsProblem(["todo", "  "])).toBe("Every column needs a name.");
    expect(columnsProblem(["todo", "todo "])).toBe("Two columns have the same name.");
    expect(columnsProblem(["é".repeat(33)])).toBe("A column name is too long."); // 66 bytes
    expect(columnsProblem(Array.from({ length: 13 }, (_, i) => `c${i}`))).toBe("A board has at most 12 columns.");
  });
});
