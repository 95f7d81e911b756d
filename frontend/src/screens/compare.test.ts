import { describe, expect, it } from "vitest";
import type { Baseline } from "../api";
import { sectionOrder, step } from "./compare";

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
