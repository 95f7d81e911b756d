// What a reader sees of a section: its Markdown as formatted text, built
// from the same syntax tree the editor uses. Every piece of text keeps the
// offset it comes from, so that a selection in the formatted text is a
// range of the stored text (to comment on it) and a commented range is
// marked where it is. Nothing here makes markup from text: the DOM is
// built node by node, and only web and mail links become links.

import { markdownLanguage } from "@codemirror/lang-markdown";

type Tree = ReturnType<typeof markdownLanguage.parser.parse>;
type Node = Tree["topNode"];

/** Piece is a run of the stored text, shown as it is. */
export interface Piece {
  text: string;
  /** from is the piece's offset in the section's text (UTF-16 units). */
  from: number;
}

/** Element is formatting: a paragraph, heading, list, emphasis, link... */
export interface Element {
  tag: string;
  href?: string;
  checked?: boolean;
  children: (Element | Piece)[];
}

export const isPiece = (n: Element | Piece): n is Piece => "text" in n;

/** parse gives the syntax tree of a section's text, as the editor has it. */
export function parse(text: string): Tree {
  return markdownLanguage.parser.parse(text);
}

const blockTags: Record<string, string> = {
  Paragraph: "p",
  BulletList: "ul",
  OrderedList: "ol",
  ListItem: "li",
  Blockquote: "blockquote",
  HorizontalRule: "hr",
  Table: "table",
  TableHeader: "tr",
  TableRow: "tr",
};

const inlineTags: Record<string, string> = {
  Emphasis: "em",
  StrongEmphasis: "strong",
  Strikethrough: "s",
  InlineCode: "code",
};

/** Marks are syntax, not text: never shown to a reader. */
const marks = new Set(["HeaderMark", "EmphasisMark", "CodeMark", "LinkMark", "QuoteMark", "ListMark", "StrikethroughMark", "TableDelimiter", "CodeInfo", "LinkTitle", "LinkLabel"]);

/** safeHref keeps web and mail addresses; anything else is no link. */
export function safeHref(url: string): string | undefined {
  const u = url.trim().replace(/^<|>$/g, "");
  return /^(https?:\/\/|mailto:)[^\s]+$/i.test(u) ? u : undefined;
}

/** format turns a section's text into the elements a reader sees. */
export function format(text: string, tree: Tree = parse(text)): Element {
  const root: Element = { tag: "div", children: [] };
  blocks(text, tree.topNode, root);
  return root;
}

function blocks(text: string, parent: Node, into: Element): void {
  for (let n = parent.firstChild; n; n = n.nextSibling) block(text, n, into);
}

function block(text: string, n: Node, into: Element): void {
  const name = n.name;
  const heading = /^(ATX|Setext)Heading([1-6])$/.exec(name);
  if (heading) {
    // The section's title is an h2: headings inside it come below.
    const h: Element = { tag: `h${Math.min(6, Number(heading[2]) + 2)}`, children: [] };
    inline(text, n, n.from, n.to, h);
    trim(h);
    into.children.push(h);
    return;
  }
  switch (name) {
    case "FencedCode":
    case "CodeBlock": {
      const code: Element = { tag: "code", children: [] };
      for (let c = n.firstChild; c; c = c.nextSibling) {
        if (c.name === "CodeText") code.children.push({ text: text.slice(c.from, c.to), from: c.from });
      }
      if (name === "CodeBlock" && !n.firstChild) code.children.push({ text: text.slice(n.from, n.to), from: n.from });
      into.children.push({ tag: "pre", children: [code] });
      return;
    }
    case "HTMLBlock":
    case "CommentBlock":
    case "ProcessingInstructionBlock":
      // Raw HTML is shown as the text it is, never as markup.
      into.children.push({ tag: "p", children: [{ text: text.slice(n.from, n.to), from: n.from }] });
      return;
    case "LinkReference":
      return;
    case "Task": {
      const li: Element = { tag: "span", children: [] };
      const marker = n.getChild("TaskMarker");
      into.checked = marker ? /x/i.test(text.slice(marker.from, marker.to)) : false;
      inline(text, n, marker ? marker.to : n.from, n.to, li);
      trim(li);
      into.children.push(li);
      return;
    }
    case "TableHeader":
    case "TableRow": {
      const tr: Element = { tag: "tr", children: [] };
      for (let c = n.firstChild; c; c = c.nextSibling) {
        if (c.name !== "TableCell") continue;
        const cell: Element = { tag: name === "TableHeader" ? "th" : "td", children: [] };
        inline(text, c, c.from, c.to, cell);
        tr.children.push(cell);
      }
      into.children.push(tr);
      return;
    }
  }
  const tag = blockTags[name];
  if (!tag) return;
  const el: Element = { tag, children: [] };
  if (name === "Paragraph") {
    inline(text, n, n.from, n.to, el);
    trim(el);
  } else if (name !== "HorizontalRule") {
    blocks(text, n, el);
  }
  into.children.push(el);
}

/** inline adds the text of [from, to) inside n: the gaps between its child
 * nodes are text as typed; the children are formatting. */
function inline(text: string, n: Node, from: number, to: number, into: Element): void {
  let at = from;
  const gap = (end: number) => {
    if (end > at) pushText(text, at, end, into);
  };
  for (let c = n.firstChild; c; c = c.nextSibling) {
    if (c.to <= from || c.from >= to) continue;
    gap(c.from);
    at = Math.max(at, c.to);
    const name = c.name;
    if (marks.has(name)) {
      // A heading's or a quote's mark takes the space after it along.
      if ((name === "HeaderMark" || name === "QuoteMark") && text[c.to] === " ") at = c.to + 1;
      continue;
    }
    if (inlineTags[name]) {
      const el: Element = { tag: inlineTags[name], children: [] };
      inline(text, c, c.from, c.to, el);
      into.children.push(el);
    } else if (name === "Link" || name === "Autolink") {
      link(text, c, into);
    } else if (name === "Image") {
      // An image is its description: pictures are not part of a section.
      const m = c.getChildren("LinkMark");
      if (m.length >= 2) pushText(text, m[0].to, m[1].from, into);
    } else if (name === "Escape") {
      pushText(text, c.from + 1, c.to, into);
    } else if (name === "HardBreak") {
      into.children.push({ tag: "br", children: [] });
    } else if (name === "URL") {
      const href = safeHref(text.slice(c.from, c.to));
      const a: Element = { tag: href ? "a" : "span", href, children: [] };
      pushText(text, c.from, c.to, a);
      into.children.push(a);
    } else {
      // Entities, inline HTML and anything new are shown as typed.
      pushText(text, c.from, c.to, into);
    }
  }
  gap(to);
}

function link(text: string, n: Node, into: Element): void {
  const m = n.getChildren("LinkMark");
  const url = n.getChild("URL");
  const href = url ? safeHref(text.slice(url.from, url.to)) : undefined;
  const a: Element = { tag: href ? "a" : "span", href, children: [] };
  if (n.name === "Autolink" && url) pushText(text, url.from, url.to, a);
  else if (m.length >= 2) inline(text, n, m[0].to, m[1].from, a);
  else pushText(text, n.from, n.to, a);
  into.children.push(a);
}

/** pushText adds [from, to) of the text, without the quote marks and the
 * indentation that continue a block on its next lines. */
function pushText(text: string, from: number, to: number, into: Element): void {
  const last = into.children[into.children.length - 1];
  if (last && isPiece(last) && last.from + last.text.length === from) {
    last.text += text.slice(from, to);
    return;
  }
  into.children.push({ text: text.slice(from, to), from });
}

/** trim leaves out the blanks at a block's ends (its pieces keep their
 * offsets). */
function trim(el: Element): void {
  const first = el.children[0];
  if (first && isPiece(first)) {
    const n = first.text.length - first.text.trimStart().length;
    first.text = first.text.slice(n);
    first.from += n;
  }
  const last = el.children[el.children.length - 1];
  if (last && isPiece(last)) last.text = last.text.trimEnd();
  el.children = el.children.filter((c) => !isPiece(c) || c.text !== "");
}

/** plainText is what a reader reads: the pieces, joined. */
export function plainText(el: Element | Piece): string {
  if (isPiece(el)) return el.text;
  return el.children.map(plainText).join(el.tag === "br" ? "\n" : "");
}
