import { describe, expect, it } from "vitest";
import { format, isPiece, plainText, safeHref, type Element, type Piece } from "./markdown";

/** pieces lists every run of text with its offset. */
function pieces(el: Element | Piece, out: Piece[] = []): Piece[] {
  if (isPiece(el)) out.push(el);
  else for (const c of el.children) pieces(c, out);
  return out;
}

function tags(el: Element | Piece): string {
  if (isPiece(el)) return JSON.stringify(el.text);
  return `${el.tag}(${el.children.map(tags).join(",")})`;
}

describe("format", () => {
  it.each([
    ["# Title\nText", `div(h3("Title"),p("Text"))`],
    ["A **social-democratic** model", `div(p("A ",strong("social-democratic")," model"))`],
    ["- one\n- two", `div(ul(li(p("one")),li(p("two"))))`],
    ["1. first\n2. second", `div(ol(li(p("first")),li(p("second"))))`],
    ["See [the law](https://lovdata.no/x) now", `div(p("See ",a("the law")," now"))`],
    ["A [trap](javascript:alert(1))", `div(p("A ",span("trap")))`],
    ["<script>alert(1)</script>", `div(p("<script>alert(1)</script>"))`],
    ["Use `code` and *this*", `div(p("Use ",code("code")," and ",em("this")))`],
    ["> quoted\n> more", `div(blockquote(p("quoted\\n","more")))`],
    ["line one\nline two", `div(p("line one\\nline two"))`],
    ["~~gone~~", `div(p(s("gone")))`],
  ])("%j", (text, want) => {
    expect(tags(format(text))).toBe(want);
  });

  it("keeps every piece at the offset it comes from", () => {
    // Random mixes of formatting: each piece of shown text is exactly the
    // stored text at its offset.
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const bits = ["word", "**bold**", "*em*", "[link](https://a.example)", "\n", "\n\n", "- ", "## ", "> ", "`c`", " ", "Šķē", "Ђурђ", "\\*"];
    for (let round = 0; round < 300; round++) {
      let text = "";
      for (let i = rnd(12); i >= 0; i--) text += bits[rnd(bits.length)];
      for (const p of pieces(format(text))) {
        expect(text.slice(p.from, p.from + p.text.length), JSON.stringify(text)).toBe(p.text);
      }
    }
  });

  it("shows the words, not the syntax", () => {
    expect(plainText(format("## Staff\n\nA **social-democratic** [model](https://a.example)"))).toBe("StaffA social-democratic model");
  });

  it("takes only web and mail links", () => {
    expect(safeHref("https://example.org/a")).toBe("https://example.org/a");
    expect(safeHref("mailto:a@example.org")).toBe("mailto:a@example.org");
    expect(safeHref("javascript:alert(1)")).toBeUndefined();
    expect(safeHref("data:text/html,x")).toBeUndefined();
    expect(safeHref("/relative")).toBeUndefined();
  });
});
