import { describe, expect, it } from "vitest";
import type { Feedback } from "../api";
import { mergeLive } from "./feedback";
import { audiences } from "./audience";

const item = (id: string, over: Partial<Feedback> = {}): Feedback => ({
  id,
  target: "lab",
  targetId: "",
  rating: 3,
  createdAt: "2026-11-23T09:00:00Z",
  anonymous: false,
  audience: "lab",
  author: { id: "a1", name: "Parent" },
  mine: false,
  body: `text of ${id}`,
  hidden: null,
  ...over,
});

describe("mergeLive", () => {
  const hidden = { reason: "Names a family", at: "2026-11-23T10:00:00Z" };

  it("appends new items and replaces changed ones in place", () => {
    const merged = mergeLive([item("a"), item("b")], [item("c"), item("a", { rating: 5 })]);
    expect(merged.map((x) => [x.id, x.rating])).toEqual([["a", 5], ["b", 3], ["c", 3]]);
  });

  it("keeps the author's own text and 'mine' when a hidden item arrives without them", () => {
    const [mine] = mergeLive([item("a", { mine: true })], [item("a", { body: null, hidden })]);
    expect(mine).toMatchObject({ mine: true, body: "text of a", hidden });
  });

  it("drops the text of someone else's item once it is hidden", () => {
    const [other] = mergeLive([item("a")], [item("a", { body: null, hidden })]);
    expect(other).toMatchObject({ mine: false, body: null, hidden });
  });

  it("shows the text again to everyone when it is no longer hidden", () => {
    const [back] = mergeLive([item("a", { body: null, hidden })], [item("a")]);
    expect(back).toMatchObject({ body: "text of a", hidden: null });
  });
});

describe("audiences", () => {
  it("go from the lab's discussion up to the document's level, never wider", () => {
    expect(audiences("lab", false)).toEqual(["lab"]);
    expect(audiences("partners", false)).toEqual(["lab", "partners"]);
    expect(audiences("public", false)).toEqual(["lab", "partners", "network", "public"]);
    expect(audiences("restricted", false)).toEqual(["restricted"]);
    // In the partner network the discussion is the partners'.
    expect(audiences("partners", true)).toEqual(["partners"]);
    expect(audiences("network", true)).toEqual(["partners", "network"]);
  });
});
