import { describe, expect, it } from "vitest";
import type { Baseline } from "../api";
import { heat, sectionOrder, step } from "./compare";

const baseline = (id: string, keys: string[]): Baseline => ({
  id,
  title: id,
  labId: "",
  country: id,
  lab: "",
  visibility: "partners",
  updatedAt: "",
  sections: keys.map((key) => ({ key, title: key.toUpperCase() })),
});

describe("comparing baselines", () => {
  it("walks the sections in the first baseline's order, then the others', without sections of no template", () => {
    const order = sectionOrder([baseline("NO", ["welfare", "", "staff"]), baseline("SI", ["welfare", "trust", "staff"])]);
    expect(order.map((s) => s.key)).toEqual(["welfare", "staff", "trust"]);
    expect(step(order, "welfare", 1)).toBe("staff");
    expect(step(order, "welfare", -1)).toBe("");
    expect(step(order, "trust", 1)).toBe("");
    expect(step(order, "nowhere", 1)).toBe("");
    expect(sectionOrder([])).toEqual([]);
  });
});

describe("the theme matrix", () => {
  it("tints cells by their count, lighter for fewer, none for nothing", () => {
    expect(heat(0, 5)).toBe("transparent");
    const light = Number(/(\d+)%\)$/.exec(heat(1, 5))![1]);
    const dark = Number(/(\d+)%\)$/.exec(heat(5, 5))![1]);
    expect(dark).toBeLessThan(light);
    expect(dark).toBeGreaterThanOrEqual(70);
  });
});
