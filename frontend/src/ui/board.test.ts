import { describe, expect, it } from "vitest";
import { canMove, statuses, type Comment, type DocumentSummary } from "../api";
import { fromAccount, loadPrefs } from "../prefs";
import { filterChoices, matches } from "../screens/Proposals";
import { threads } from "./comments";
import { moves } from "./proposal";

const proposal = (title: string, fields: Record<string, string> = {}): DocumentSummary => ({
  id: "x",
  kind: "proposal",
  template: "proposal@1",
  title,
  visibility: "lab",
  status: "draft",
  fields,
  updatedAt: "2026-11-23T10:00:00Z",
});

describe("the proposal lifecycle", () => {
  it("offers one step back or forward and the archive; from the archive only draft", () => {
    expect(moves("draft")).toEqual(["open", "archived"]);
    expect(moves("prioritised")).toEqual(["open", "piloting", "archived"]);
    expect(moves("evaluated")).toEqual(["piloting", "archived"]);
    expect(moves("archived")).toEqual(["draft"]);
  });

  it("never offers a move to the same stage", () => {
    for (const s of statuses) expect(canMove(s, s)).toBe(false);
  });
});

describe("board filters", () => {
  it("matches every word of the search in the title, in any case", () => {
    expect(matches(proposal("Family coordinator in Bergen"), "bergen COORD", "")).toBe(true);
    expect(matches(proposal("Family coordinator in Bergen"), "oslo", "")).toBe(false);
  });

  it("matches a chosen option among several choices", () => {
    const p = proposal("Youth hub", { issues: "planning,technology", scope: "meso" });
    expect(matches(p, "", "issues=technology")).toBe(true);
    expect(matches(p, "", "issues=tech")).toBe(false);
    expect(matches(p, "", "scope=micro")).toBe(false);
    expect(matches(proposal("No fields"), "", "scope=meso")).toBe(false);
  });
});

describe("comment threads", () => {
  const c = (id: string, section: string, from: number, extra: Partial<Comment> = {}): Comment => ({
    id,
    documentId: "d",
    sectionId: section,
    from,
    to: from + 1,
    version: 1,
    resolved: false,
    createdAt: `2026-11-23T10:00:0${id.length}Z`,
    anonymous: false,
    audience: "lab",
    author: null,
    mine: false,
    body: id,
    hidden: null,
    ...extra,
  });

  it("orders open threads by section and position, resolved ones last, replies under their thread", () => {
    const out = threads(
      [c("b1", "b", 0), c("a5", "a", 5), c("a1", "a", 1, { resolved: true }), c("r", "a", 0, { parentId: "a5" }), c("a2", "a", 2)],
      ["a", "b"],
    );
    expect(out.map((x) => x.first.id)).toEqual(["a2", "a5", "b1", "a1"]);
    expect(out[1].replies.map((x) => x.id)).toEqual(["r"]);
  });
});

describe("preferences", () => {
  it("reads what was saved and ignores what it cannot trust", () => {
    const store = (v: string | null) => ({ getItem: () => v });
    expect(loadPrefs(store(JSON.stringify({ language: "nb", plain: true })))).toEqual({ language: "nb", plain: true });
    expect(loadPrefs(store("{not json"))).toEqual({ language: "", plain: false });
    expect(loadPrefs(store(JSON.stringify({ language: "<script>", plain: "yes" })))).toEqual({ language: "", plain: false });
    expect(loadPrefs(null)).toEqual({ language: "", plain: false });
    expect(loadPrefs(store(JSON.stringify({ language: "pt-BR" })))).toEqual({ language: "pt-BR", plain: false });
  });

  it("takes the account's preferences as they are, and none as the defaults", () => {
    expect(fromAccount({ language: "es", plainView: true })).toEqual({ language: "es", plain: true });
    expect(fromAccount(undefined)).toEqual({ language: "", plain: false });
  });
});

describe("the board's filter", () => {
  it("offers only the fields and options the proposals use, each once, with counts", () => {
    const fields = [
      { key: "scope", title: "Scope", type: "choice" as const, options: ["micro", "meso", "macro"] },
      { key: "costs", title: "Costs", type: "choices" as const, options: ["none", "staffing", "other"] },
      { key: "evaluation", title: "Evaluation", type: "choice" as const, options: ["none", "planned"] },
    ];
    const docs = [
      proposal("A", { scope: "meso", costs: "staffing,other" }),
      proposal("B", { scope: "meso" }),
      proposal("C", { scope: "macro", costs: "other" }),
    ];
    const got = filterChoices(fields, docs);
    expect(got.map((c) => c.field.key)).toEqual(["scope", "costs"]);
    expect(got[0].options).toEqual([
      { option: "meso", count: 2 },
      { option: "macro", count: 1 },
    ]);
    expect(got[1].options).toEqual([
      { option: "staffing", count: 1 },
      { option: "other", count: 2 },
    ]);
    // Every option offered shows as many proposals as it says.
    for (const c of got) for (const o of c.options) expect(docs.filter((d) => matches(d, "", `${c.field.key}=${o.option}`)).length).toBe(o.count);
  });
});
