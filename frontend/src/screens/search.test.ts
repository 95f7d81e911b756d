import { describe, expect, it } from "vitest";
import { hrefOf, queryOf } from "./Search";

describe("search addresses", () => {
  it("reads the words and a known kind from the address", () => {
    expect(queryOf("?q=staff+shortage&kind=comment")).toEqual({ q: "staff shortage", kind: "comment" });
    expect(queryOf("?q=%D0%BA%D0%B0%D0%B4%D1%80%D0%BE%D0%B2%D0%B8")).toEqual({ q: "кадрови", kind: "" });
    expect(queryOf("?q=x&kind=secret")).toEqual({ q: "x", kind: "" });
    expect(queryOf("")).toEqual({ q: "", kind: "" });
  });
  it("links each kind of result where it is read", () => {
    const base = { id: "i", title: "T", snippet: null };
    expect(hrefOf({ ...base, kind: "section", documentId: "d", sectionId: "s" })).toBe("/documents/d#s-s");
    expect(hrefOf({ ...base, kind: "comment", documentId: "d", sectionId: "s" })).toBe("/documents/d#s-s");
    expect(hrefOf({ ...base, kind: "document", documentId: "d" })).toBe("/documents/d");
    expect(hrefOf({ ...base, kind: "idea", workshopId: "w" })).toBe("/workshops/w");
    expect(hrefOf({ ...base, kind: "theme" })).toBe("/themes");
  });
});
