import { useEffect, useRef, useState } from "preact/hooks";
import { canMove, statuses, type DocumentDetail, type LogicMap, type Outcome, type Status, type TemplateField } from "../api";
import { messageOf, type App } from "../app";
import { optionLabel, t, type MessageKey } from "../i18n";
import { announce, ErrorBox } from "./forms";

export const statusLabel = (s: Status) => t(`status.${s}` as MessageKey);

/** moves lists where a proposal may go from a stage: back, forward, and
 * the archive, as buttons offer them; only the moves the reader may make
 * (the archive, in or out, is its author's or a facilitator's). */
export function moves(from: Status, can?: { advance: boolean; archive: boolean }): Status[] {
  return statuses.filter(
    (to) => canMove(from, to) && (!can || (to === "archived" || from === "archived" ? can.archive : can.advance)),
  );
}

/** MoveButtons moves a proposal along its lifecycle; each button names the
 * proposal and the stage, so a screen reader user hears what it does. */
export function MoveButtons({ app, doc, title, onMoved }: {
  app: App;
  doc: { id: string; status?: Status; can?: { advance: boolean; archive: boolean } };
  title: string;
  onMoved(d: DocumentDetail): void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  if (!doc.status) return null;
  async function move(to: Status) {
    setBusy(true);
    setError("");
    try {
      const d = await app.api.move(doc.id, to);
      onMoved(d);
      announce(t("board.moved", { title, status: statusLabel(to) }));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }
  const from = doc.status;
  return (
    <>
      <ErrorBox message={error} />
      <div class="moves">
      {moves(from, doc.can).map((to) => (
        <button
          key={to}
          type="button"
          class="secondary small"
          disabled={busy}
          aria-label={t("board.moveTo", { title, status: statusLabel(to) })}
          onClick={() => move(to)}
        >
          {statuses.indexOf(to) < statuses.indexOf(from) && to !== "archived" ? "← " : ""}
          {statusLabel(to)}
          {statuses.indexOf(to) > statuses.indexOf(from) && to !== "archived" ? " →" : ""}
        </button>
      ))}
      </div>
    </>
  );
}

/** FieldsForm edits a proposal's choice fields; each change is saved at
 * once and reaches everyone viewing the proposal live. */
export function FieldsForm({ app, doc, fields, writable, onSaved }: {
  app: App;
  doc: DocumentDetail;
  fields: TemplateField[];
  writable: boolean;
  onSaved(d: DocumentDetail): void;
}) {
  const [error, setError] = useState("");
  async function save(key: string, value: string) {
    setError("");
    try {
      onSaved(await app.api.patchDocument(doc.id, { fields: { [key]: value } }));
      announce(t("fields.saved"));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <section class="card" aria-labelledby="fields-title">
      <h2 id="fields-title">{t("fields.title")}</h2>
      <ErrorBox message={error} />
      <div class="fields">
        {fields.map((f) => {
          const value = doc.fields[f.key] ?? "";
          if (f.type === "choice") {
            return (
              <div key={f.key}>
                <label for={`field-${f.key}`}>{fieldLabel(f)}</label>
                <select id={`field-${f.key}`} value={value} disabled={!writable} onChange={(e) => save(f.key, e.currentTarget.value)}>
                  <option value="">{t("fields.none")}</option>
                  {f.options.map((o) => (
                    <option key={o} value={o}>
                      {optionLabel(o)}
                    </option>
                  ))}
                </select>
              </div>
            );
          }
          const chosen = new Set(value ? value.split(",") : []);
          return (
            <fieldset key={f.key}>
              <legend>{fieldLabel(f)}</legend>
              {f.options.map((o) => (
                <label key={o} class="choice">
                  <input
                    type="checkbox"
                    checked={chosen.has(o)}
                    disabled={!writable}
                    onChange={(e) => {
                      const next = new Set(chosen);
                      if (e.currentTarget.checked) next.add(o);
                      else next.delete(o);
                      save(f.key, f.options.filter((x) => next.has(x)).join(","));
                    }}
                  />
                  {optionLabel(o)}
                </label>
              ))}
            </fieldset>
          );
        })}
      </div>
    </section>
  );
}

export function fieldLabel(f: TemplateField): string {
  return optionLabel(`field-${f.key}`, f.title);
}

// The server's limit on elements and on outcomes.
const maxLogicItems = 50;

function Remove({ name, onClick }: { name: string; onClick(): void }) {
  return (
    <button type="button" class="secondary small" aria-label={t("logic.removeNamed", { name })} onClick={onClick}>
      {t("logic.remove")}
    </button>
  );
}

function Add({ label, full, onClick }: { label: string; full: boolean; onClick(): void }) {
  return (
    <button type="button" class="secondary small" disabled={full} onClick={onClick}>
      {label}
    </button>
  );
}

let counter = 0;
function newID(prefix: string, taken: { id: string }[]): string {
  let id = "";
  do id = `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;
  while (taken.some((x) => x.id === id));
  return id;
}

/** LogicMapEditor shows a proposal's logic map as a diagram (elements on
 * the left, short- and long-term outcomes to the right, lines for the
 * links) and edits it with ordinary form controls: text boxes, and one
 * checkbox per link, so that it works by keyboard and screen reader. */
export function LogicMapEditor({ app, doc, writable, onSaved }: {
  app: App;
  doc: DocumentDetail;
  writable: boolean;
  onSaved(d: DocumentDetail): void;
}) {
  const [map, setMap] = useState<LogicMap>(doc.logicMap);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState("");
  const diagram = useRef<HTMLDivElement>(null);
  const [lines, setLines] = useState<{ x1: number; y1: number; x2: number; y2: number; key: string }[]>([]);
  useEffect(() => {
    if (!dirty) setMap(doc.logicMap);
  }, [doc.revision]);

  // Lines are drawn between the boxes where the layout put them.
  useEffect(() => {
    const el = diagram.current;
    if (!el) return;
    const draw = () => {
      const box = el.getBoundingClientRect();
      const at = (id: string) => el.querySelector<HTMLElement>(`[data-node="${CSS.escape(id)}"]`)?.getBoundingClientRect();
      const out: typeof lines = [];
      for (const e of map.elements) {
        const a = at(e.id);
        for (const o of e.outcomes) {
          const b = at(o);
          if (!a || !b) continue;
          out.push({ key: `${e.id}-${o}`, x1: a.right - box.left, y1: a.top + a.height / 2 - box.top, x2: b.left - box.left, y2: b.top + b.height / 2 - box.top });
        }
      }
      setLines(out);
    };
    draw();
    const ro = new ResizeObserver(draw);
    ro.observe(el);
    return () => ro.disconnect();
  }, [map]);

  const change = (next: LogicMap) => {
    setMap(next);
    setDirty(true);
  };
  async function save(ev: Event) {
    ev.preventDefault();
    setError("");
    const clean: LogicMap = {
      elements: map.elements.filter((e) => e.text.trim()).map((e) => ({ ...e, text: e.text.trim() })),
      outcomes: map.outcomes.filter((o) => o.text.trim()).map((o) => ({ ...o, text: o.text.trim() })),
    };
    const kept = new Set(clean.outcomes.map((o) => o.id));
    for (const e of clean.elements) e.outcomes = e.outcomes.filter((o) => kept.has(o));
    try {
      const d = await app.api.patchDocument(doc.id, { logicMap: clean });
      setDirty(false);
      setMap(d.logicMap);
      onSaved(d);
      announce(t("logic.saved"));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  const column = (term: Outcome["term"]) => map.outcomes.filter((o) => o.term === term);
  const name = (id: string) => map.outcomes.find((o) => o.id === id)?.text || t("logic.unnamed");

  return (
    <section class="card" aria-labelledby="logic-title">
      <h2 id="logic-title">{t("logic.title")}</h2>
      <p class="hint">{t("logic.hint")}</p>
      <div class="logic-diagram" ref={diagram} role="img" aria-label={t("logic.diagram", { elements: map.elements.length, outcomes: map.outcomes.length })}>
        <svg aria-hidden="true" class="logic-lines">
          {lines.map((l) => (
            <line key={l.key} x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} />
          ))}
        </svg>
        <div class="logic-col">
          <h3>{t("logic.elements")}</h3>
          {map.elements.map((e) => (
            <div key={e.id} class="logic-node" data-node={e.id}>
              {e.text || t("logic.unnamed")}
            </div>
          ))}
        </div>
        {(["short", "long"] as const).map((term) => (
          <div key={term} class="logic-col">
            <h3>{t(`logic.${term}` as MessageKey)}</h3>
            {column(term).map((o) => (
              <div key={o.id} class={`logic-node logic-${term}`} data-node={o.id}>
                {o.text || t("logic.unnamed")}
              </div>
            ))}
          </div>
        ))}
      </div>
      {writable && (
        <form class="logic-form" onSubmit={save}>
          <ErrorBox message={error} />
          <fieldset>
            <legend>{t("logic.outcomes")}</legend>
            {map.outcomes.map((o, i) => (
              <div key={o.id} class="logic-row">
                <label>
                  {t("logic.outcomeN", { n: i + 1 })}
                  <input
                    value={o.text}
                    maxLength={500}
                    onInput={(ev) => change({ ...map, outcomes: map.outcomes.map((x) => (x.id === o.id ? { ...x, text: ev.currentTarget.value } : x)) })}
                  />
                </label>
                <label>
                  {t("logic.term")}
                  <select
                    value={o.term}
                    onChange={(ev) =>
                      change({ ...map, outcomes: map.outcomes.map((x) => (x.id === o.id ? { ...x, term: ev.currentTarget.value as Outcome["term"] } : x)) })
                    }
                  >
                    <option value="short">{t("logic.short")}</option>
                    <option value="long">{t("logic.long")}</option>
                  </select>
                </label>
                <Remove
                  name={o.text || t("logic.outcomeN", { n: i + 1 })}
                  onClick={() =>
                    change({
                      elements: map.elements.map((e) => ({ ...e, outcomes: e.outcomes.filter((x) => x !== o.id) })),
                      outcomes: map.outcomes.filter((x) => x.id !== o.id),
                    })
                  }
                />
              </div>
            ))}
            <Add label={t("logic.addOutcome")} full={map.outcomes.length >= maxLogicItems} onClick={() => change({ ...map, outcomes: [...map.outcomes, { id: newID("o", map.outcomes), text: "", term: "short" }] })} />
          </fieldset>
          <fieldset>
            <legend>{t("logic.elements")}</legend>
            {map.elements.map((e, i) => (
              <div key={e.id} class="logic-row logic-element">
                <label>
                  {t("logic.elementN", { n: i + 1 })}
                  <input
                    value={e.text}
                    maxLength={500}
                    onInput={(ev) => change({ ...map, elements: map.elements.map((x) => (x.id === e.id ? { ...x, text: ev.currentTarget.value } : x)) })}
                  />
                </label>
                {map.outcomes.length > 0 && (
                  <fieldset class="links">
                    <legend>{t("logic.leadsTo")}</legend>
                    {map.outcomes.map((o) => (
                      <label key={o.id} class="choice">
                        <input
                          type="checkbox"
                          checked={e.outcomes.includes(o.id)}
                          onChange={(ev) => {
                            const on = ev.currentTarget.checked;
                            change({
                              ...map,
                              elements: map.elements.map((x) =>
                                x.id === e.id ? { ...x, outcomes: on ? [...x.outcomes, o.id] : x.outcomes.filter((y) => y !== o.id) } : x,
                              ),
                            });
                          }}
                        />
                        {name(o.id)}
                      </label>
                    ))}
                  </fieldset>
                )}
                <Remove name={e.text || t("logic.elementN", { n: i + 1 })} onClick={() => change({ ...map, elements: map.elements.filter((x) => x.id !== e.id) })} />
              </div>
            ))}
            <Add label={t("logic.addElement")} full={map.elements.length >= maxLogicItems} onClick={() => change({ ...map, elements: [...map.elements, { id: newID("e", map.elements), text: "", outcomes: [] }] })} />
          </fieldset>
          <button type="submit" disabled={!dirty}>
            {t("logic.save")}
          </button>
        </form>
      )}
    </section>
  );
}
