// h builds elements. Text is always set as text, never parsed as HTML, so
// nothing a person typed can become markup.

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, value);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return el;
}

/** announce tells screen-reader users about a change, politely. */
export function announce(message: string): void {
  const status = document.getElementById("status");
  if (status) status.textContent = message;
}

/** field is a labelled input with an optional hint. */
export function field(
  id: string,
  label: string,
  input: Attrs,
  hint?: string,
): HTMLElement {
  const hintId = hint ? `${id}-hint` : undefined;
  return h(
    "div",
    {},
    h("label", { for: id }, label, hint ? h("span", { class: "hint", id: hintId }, hint) : null),
    h("input", { id, name: id, "aria-describedby": hintId, ...input }),
  );
}

/** errorBox shows a message in an alert region that screen readers read at once. */
export function errorBox(): { el: HTMLElement; show(msg: string): void; clear(): void } {
  const el = h("div", { role: "alert" });
  return {
    el,
    show(msg) {
      el.className = "error";
      el.textContent = msg;
    },
    clear() {
      el.className = "";
      el.textContent = "";
    },
  };
}
