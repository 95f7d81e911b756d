// A document's named versions: freeze the text as it is now, and compare
// any two versions, or a version and the current text, section by section.

import { Exports, fileName } from "./exports";
import { useEffect, useState } from "preact/hooks";
import type { Diff, DocumentDetail, DocumentVersion } from "../api";
import { messageOf, type App } from "../app";
import { formatDate, t, type MessageKey } from "../i18n";
import { announce, ErrorBox } from "./forms";

export function VersionsPanel({ app, doc, canFreeze }: { app: App; doc: DocumentDetail; canFreeze: boolean }) {
  const [versions, setVersions] = useState<DocumentVersion[]>([]);
  const [name, setName] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("current");
  const [diff, setDiff] = useState<Diff | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    app.api.versions(doc.id).then(
      (p) => {
        setVersions(p.items);
        setFrom((f) => f || (p.items.at(-1)?.id ?? ""));
      },
      (e) => setError(messageOf(e)),
    );
  }, [doc.id]);
  async function freeze(ev: Event) {
    ev.preventDefault();
    setError("");
    try {
      const v = await app.api.freezeVersion(doc.id, name);
      setVersions((vs) => [...vs, v]);
      setFrom(v.id);
      setName("");
      announce(t("versions.frozen", { name: v.name }));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  async function compare(ev: Event) {
    ev.preventDefault();
    setError("");
    try {
      setDiff(await app.api.diff(doc.id, from, to));
    } catch (e) {
      setError(messageOf(e));
    }
  }
  const label = (id: string) => (id === "current" ? t("versions.current") : (versions.find((v) => v.id === id)?.name ?? id));
  return (
    <section class="card versions" aria-labelledby="versions-title">
      <h2 id="versions-title">{t("versions.title")}</h2>
      <ErrorBox message={error} />
      {versions.length === 0 ? (
        <p class="empty">{t("versions.none")}</p>
      ) : (
        <ul class="log">
          {versions.map((v) => (
            <li key={v.id}>
              <strong>{v.name}</strong> <span class="meta">{t("versions.by", { name: v.by, date: formatDate(v.createdAt) })}</span>{" "}
              <Exports base={`/api/documents/${doc.id}/export?version=${v.id}`} name={fileName(`${doc.title} ${v.name}`, v.id)} label={v.name} />
            </li>
          ))}
        </ul>
      )}
      {canFreeze && (
        <form class="inline" onSubmit={freeze} aria-labelledby="freeze-title">
          <h3 id="freeze-title">{t("versions.freeze")}</h3>
          <label for="version-name">{t("versions.name")}</label>
          <input id="version-name" maxLength={80} value={name} required onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          <button type="submit">{t("versions.freezeButton")}</button>
        </form>
      )}
      {versions.length > 0 && (
        <form class="inline" onSubmit={compare} aria-labelledby="compare-versions-title">
          <h3 id="compare-versions-title">{t("versions.compare")}</h3>
          <label for="diff-from">{t("versions.from")}</label>
          <select id="diff-from" value={from} onChange={(e) => setFrom((e.target as HTMLSelectElement).value)}>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
          <label for="diff-to">{t("versions.to")}</label>
          <select id="diff-to" value={to} onChange={(e) => setTo((e.target as HTMLSelectElement).value)}>
            <option value="current">{t("versions.current")}</option>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
          <button type="submit">{t("versions.show")}</button>
        </form>
      )}
      {diff && <DiffView diff={diff} from={label(from)} to={label(to)} />}
    </section>
  );
}

/** DiffView shows what changed, section by section: deletions struck
 * through, insertions underlined, each also said in words to screen
 * readers; unchanged sections are listed by name only. */
function DiffView({ diff, from, to }: { diff: Diff; from: string; to: string }) {
  const changed = diff.sections.filter((s) => s.status !== "same");
  const same = diff.sections.filter((s) => s.status === "same");
  return (
    <div class="diff" aria-live="polite">
      <h3>{t("versions.between", { from, to })}</h3>
      {changed.length === 0 && <p>{t("versions.noChange")}</p>}
      {changed.map((s) => (
        <section key={s.section} class="diff-section" aria-labelledby={`diff-${s.section}`}>
          <h4 id={`diff-${s.section}`}>
            {s.title} <span class="tag">{t(`versions.status.${s.status}` as MessageKey)}</span>
          </h4>
          <p class="diff-text">
            <DiffOps ops={s.ops} />
          </p>
        </section>
      ))}
      {same.length > 0 && <p class="meta">{t("versions.unchanged", { sections: same.map((s) => s.title).join(", ") })}</p>}
    </div>
  );
}

/** DiffOps shows words kept, deleted (struck through) and inserted
 * (underlined), each change also said in words to screen readers. */
export function DiffOps({ ops }: { ops: { op: "=" | "-" | "+"; text: string }[] }) {
  return (
    <>
      {ops.map((o, i) =>
        o.op === "=" ? (
          <span key={i}>{o.text}</span>
        ) : o.op === "-" ? (
          <del key={i}>
            <span class="visually-hidden">{t("versions.deleted")}</span>
            {o.text}
          </del>
        ) : (
          <ins key={i}>
            <span class="visually-hidden">{t("versions.inserted")}</span>
            {o.text}
          </ins>
        ),
      )}
    </>
  );
}
