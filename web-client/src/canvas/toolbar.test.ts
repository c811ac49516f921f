// Every colour swatch has a name of its own (issue 11: six swatches were all "Colour").
import { describe, expect, it } from "vitest";
import { COLORS } from "./geometry";
import { colorName } from "./toolbar";

describe("colour swatch names", () => {
  it("names each colour of the palette, each differently", () => {
    const names = COLORS.map(colorName);
    expect(names).not.toContain("Colour");
    expect(new Set(names).size).toBe(COLORS.length);
    expect(colorName("#FFF4B8")).toBe("Yellow");
  });
});
