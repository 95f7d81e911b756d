// Who may read a document, and a section of it, said in plain words with
// the people it reaches, set by whoever may share it. Widening asks first;
// the server records every change in the lab's activity log.

import { useEffect, useState } from "preact/hooks";
import type { DocumentDetail, Reach, SectionInfo, Visibility } from "../api";
import { messageOf, type App } from "../app";
import { plural, t } from "../i18n";
import { announce, ErrorBox } from "./forms";

const order: Visibility[] = ["private", "restricted", "lab", "partners", "network", "public"];

/** wider reports whether level a lets more people read than level b. */
export function wider(a: Visibility, b: Visibility): boolean {
  return order.indexOf(a) > order.indexOf(b);
}

/** levelsFor lists the levels a document may have: a synthesis belongs to
 * no lab, so "lab" is no level for it. */
export function levelsFor(inNetwork: boolean): Visibility[] {
  return inNetwork ? order.filter((l) => l !== "lab") : order;
}

/** describe says who reads at a level, with the numbers it reaches. */
export function describe(level: Visibility, reach: Reach | null, inNetwork: boolean, named = 0): string {
  const people = reach?.lab.people ?? 0;
  const countries = reach?.partners.countries ?? 0;
  switch (level) {
    case "private":
      return t("share.private");
    case "restricted":
      return named === 0 ? t("share.restrictedNone") : t("share.restricted", { people: plural("share.people", named) });
    case "lab":
      return t("share.lab", { people: plural("share.people", people) });
    case "partners":
      return inNetwork
        ? t("share.partnersOnly", { countries: plural("share.countries", countries) })
        : t("share.partners", { people: plural("share.people", people), countries: plural("share.countries", countries) });
    case "network":
      return t("share.network");
    case "public":
      return t("share.public");
  }
}

/** SharingPanel lets whoever may share a document choose who may read it. */
export function SharingPanel({ app, doc, onChanged }: { app: App; doc: DocumentDetail; onChanged: (d: DocumentDetail) => void }) {
  const inNetwork = !doc.labId;
  const [reach, setReach] = useState<Reach | null>(null);
  const [level, setLevel] = useState<Visibility>(doc.visibility);
  const [named, setNamed] = useState<string[]>(doc.members);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState("");
  useEffect(() => {
    app.api.reach(doc.id).then(setReach, (e) => setError(messageOf(e)));
  }, [doc.id]);
  useEffect(() => {
    setLevel(doc.visibility);
    setNamed(doc.members);
  }, [doc.visibility, doc.members.join(",")]);

  const widens = wider(level, doc.visibility) || (level === "restricted" && named.some((m) => !doc.members.includes(m)));
  const unchanged = level === doc.visibility && named.join(",") === doc.members.join(",");
  async function apply() {
    setError("");
    setConfirming(false);
    try {
      const d = await app.api.share(doc.id, level, level === "restricted" ? named : []);
      onChanged(d);
      announce(t("share.done", { who: describe(d.visibility, reach, inNetwork, d.members.length) }));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  function submit(ev: Event) {
    ev.preventDefault();
    if (widens) setConfirming(true);
    else apply();
  }
  return (
    <section class="card sharing" aria-labelledby="sharing-title">
      <h2 id="sharing-title">{t("share.title")}</h2>
      <p class="now">{t("share.now", { who: describe(doc.visibility, reach, inNetwork, doc.members.length) })}</p>
      <ErrorBox message={error} />
      <form onSubmit={submit}>
        <fieldset>
          <legend>{t("share.choose")}</legend>
          {levelsFor(inNetwork).map((l) => (
            <label key={l} class="choice">
              <input type="radio" name="level" value={l} checked={level === l} onChange={() => setLevel(l)} />
              <span>
                <strong>{t(`visibility.${l}`)}</strong> <span class="hint">{describe(l, reach, inNetwork, named.length)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {level === "restricted" && (
          <fieldset>
            <legend>{t("share.pick")}</legend>
            {(reach?.members ?? []).map((m) => (
              <label key={m.id} class="choice">
                <input
                  type="checkbox"
                  checked={named.includes(m.id)}
                  onChange={(e) => setNamed((old) => (e.currentTarget.checked ? [...old, m.id] : old.filter((x) => x !== m.id)))}
                />
                <span>{m.name}</span>
              </label>
            ))}
          </fieldset>
        )}
        {!confirming && (
          <button type="submit" disabled={unchanged}>
            {t("share.apply")}
          </button>
        )}
      </form>
      {confirming && (
        <AskFirst
          id="share-confirm"
          question={t("share.confirm", { title: doc.title, who: describe(level, reach, inNetwork, named.length) })}
          onYes={apply}
          onNo={() => setConfirming(false)}
        />
      )}
    </section>
  );
}

/** SectionLevel keeps one section to fewer people than its document, or
 * lets it follow the document again (which widens, so it asks first). */
export function SectionLevel({ app, doc, section, onChanged }: {
  app: App;
  doc: DocumentDetail;
  section: SectionInfo;
  onChanged: () => void;
}) {
  const inNetwork = !doc.labId;
  const narrowest: Visibility = inNetwork ? "partners" : "lab";
  // Levels narrower than the document, from the lab (or the partners) up.
  const options = order.filter((l) => !wider(narrowest, l) && wider(doc.visibility, l));
  const [value, setValue] = useState<Visibility | "">(section.visibility ?? "");
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState("");
  useEffect(() => setValue(section.visibility ?? ""), [section.visibility]);
  if (options.length === 0) return null;
  const current = section.visibility ?? "";
  const widens = current !== "" && (value === "" || wider(value, current));
  async function apply() {
    setConfirming(false);
    setError("");
    try {
      await app.api.setSectionLevel(doc.id, section.id, value);
      onChanged();
      announce(value ? t("share.sectionKept", { section: section.title, who: t(`audience.${value}`) }) : t("share.sectionOpen", { section: section.title }));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  const id = `section-level-${section.id}`;
  return (
    <div class="section-level">
      <label for={id}>{t("share.sectionLabel", { section: section.title })}</label>
      <select id={id} value={value} onChange={(e) => setValue(e.currentTarget.value as Visibility | "")}>
        <option value="">{t("share.sectionSame")}</option>
        {options.map((l) => (
          <option key={l} value={l}>
            {t(`audience.${l}`)}
          </option>
        ))}
      </select>{" "}
      {!confirming && (
        <button type="button" class="secondary" disabled={value === current} onClick={() => (widens ? setConfirming(true) : apply())}>
          {t("share.sectionApply")}
        </button>
      )}
      {confirming && (
        <AskFirst
          id={`${id}-confirm`}
          question={t("share.sectionConfirm", { section: section.title })}
          onYes={apply}
          onNo={() => setConfirming(false)}
        />
      )}
      <ErrorBox message={error} />
    </div>
  );
}

/** AskFirst asks before more people may read something; the yes button
 * takes the focus, so a keyboard user answers where they are. */
function AskFirst({ id, question, onYes, onNo }: { id: string; question: string; onYes: () => void; onNo: () => void }) {
  return (
    <div class="confirm ask" role="alertdialog" aria-labelledby={id}>
      <p id={id}>{question}</p>
      <button type="button" onClick={onYes} ref={(b) => b?.focus()}>
        {t("share.yes")}
      </button>
      <button type="button" class="secondary" onClick={onNo}>
        {t("share.cancel")}
      </button>
    </div>
  );
}
