import { describe, expect, it } from "vitest";
import { EditorSelection, EditorState } from "@codemirror/state";
import { ensureSyntaxTree } from "@codemirror/language";
import { markdown, markdownLanguage } from "@codemirror/lang-markdown";
import { formatted, hiddenRanges } from "./format";

function state(text: string, cursor = 0) {
  const s = EditorState.create({ doc: text, selection: EditorSelection.cursor(cursor), extensions: [markdown({ base: markdownLanguage })] });
  ensureSyntaxTree(s, s.doc.length, 1000);
  return s;
}

/** shown is the text a person sees: what is not hidden. */
function shown(text: string, cursor: number, focused: boolean): string {
  const s = state(text, cursor);
  let out = "";
  let at = 0;
  for (const [from, to] of hiddenRanges(formatted(s, [{ from: 0, to: s.doc.length }], focused))) {
    out += text.slice(at, from);
    at = to;
  }
  return out + text.slice(at);
}

describe("formatted", () => {
  it.each([
    ["## Staff\nA **social-democratic** model", "Staff\nA social-democratic model"],
    ["See [the law](https://lovdata.no) here", "See the law here"],
    ["*a* and `b`", "a and b"],
    ["> said", "said"],
  ])("hides the marks of %j away from the cursor", (text, want) => {
    expect(shown(text, 0, false)).toBe(want);
  });

  it("shows the marks of the line being written, and only there", () => {
    const text = "## Staff\nA **social-democratic** model";
    expect(shown(text, 3, true)).toBe("## Staff\nA social-democratic model");
    expect(shown(text, text.length, true)).toBe("Staff\nA **social-democratic** model");
  });
});
