import { describe, expect, it } from "vitest";
import type { Feedback } from "../api";
import { mergeLive } from "./feedback";
import { audiences } from "./audience";
import { describe as describeLevel, wider } from "./sharing";
import { describeEntry } from "./activity";

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

describe("sharing in plain words", () => {
  const reach = { lab: { people: 7 }, partners: { organisations: 6, countries: 5 }, members: [] };
  it("says whom each level reaches, with the numbers", () => {
    expect(describeLevel("lab", reach, false)).toBe("Only the 7 people in this lab");
    expect(describeLevel("partners", reach, false)).toBe("The 7 people in this lab, and the national partners of 5 countries");
    expect(describeLevel("partners", reach, true)).toBe("The national partners of 5 countries");
    expect(describeLevel("restricted", reach, false, 3)).toBe("Only the 3 people you name, and its author");
    expect(describeLevel("restricted", reach, false, 0)).toBe("Only the people you name, and its author");
    expect(describeLevel("partners", { ...reach, lab: { people: 1 }, partners: { organisations: 1, countries: 1 } }, false)).toBe(
      "The 1 person in this lab, and the national partners of 1 country",
    );
  });
  it("knows which way is wider", () => {
    expect(wider("partners", "lab")).toBe(true);
    expect(wider("lab", "partners")).toBe(false);
    expect(wider("restricted", "private")).toBe(true);
  });
  it("tells the activity log's changes of who may read", () => {
    const entry = { id: "1", actor: "Kari", action: "document.visibility", object: "d1", detail: { from: "lab", to: "partners" }, at: "" };
    expect(describeEntry(entry, new Map([["d1", "Baseline"]]))).toBe("Kari changed who may read “Baseline”: Lab → Shared with partners");
    const grant = { ...entry, action: "partner.grant", detail: { name: "Ilze", organisation: "Latvian partner" } };
    expect(describeEntry(grant, new Map())).toMatch(/^Kari made Ilze \(Latvian partner\) a national partner/);
  });
});
