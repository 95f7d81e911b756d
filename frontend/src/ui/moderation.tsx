import { useEffect, useRef, useState } from "preact/hooks";
import type { Comment, Feedback, ModerationAct } from "../api";
import { messageOf, type App } from "../app";
import { formatDate, t, type MessageKey } from "../i18n";
import { authorName } from "./feedback";
import { announce, ErrorBox } from "./forms";
import { Link } from "./link";

/** maxReason is the server's limit on a moderation reason, in characters. */
const maxReason = 500;

/** Moderate lets a facilitator hide a comment or feedback with a reason
 * everyone then sees instead of the text, or show it again. It never edits
 * the words and never names an anonymous author. */
export function Moderate<T extends Comment | Feedback>({ app, kind, item, changed }: {
  app: App;
  kind: "comments" | "feedback";
  item: T;
  changed: (x: T) => void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  // After the form closes or the item changes, focus returns to the button
  // that now stands where the form was.
  const refocus = useRef(false);
  useEffect(() => {
    if (open) field.current?.focus();
    else if (refocus.current) toggle.current?.focus();
    refocus.current = false;
  }, [open, item.hidden]);
  const close = () => {
    refocus.current = true;
    setOpen(false);
  };
  const what = kind === "comments" ? "moderation.comment" : "moderation.feedback";
  const name = authorName(item);

  async function send(next: string | null) {
    setError("");
    setBusy(true);
    try {
      const x = await app.api.hide<T>(kind, (item as { id: string }).id, next);
      setReason("");
      close();
      changed(x);
      announce(next === null ? t("moderation.shown") : t("moderation.hidden"));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }
  if (item.hidden) {
    return (
      <div class="moderate">
        <ErrorBox message={error} />
        <button
          type="button"
          class="secondary small"
          ref={toggle}
          disabled={busy}
          aria-label={t("moderation.showNamed", { what: t(what), name })}
          onClick={() => send(null)}
        >
          {t("moderation.show")}
        </button>
      </div>
    );
  }
  if (!open) {
    return (
      <div class="moderate">
        <button
          type="button"
          class="secondary small"
          ref={toggle}
          aria-label={t("moderation.hideNamed", { what: t(what), name })}
          onClick={() => setOpen(true)}
        >
          {t("moderation.hide")}
        </button>
      </div>
    );
  }
  const id = `hide-${(item as { id: string }).id}`;
  return (
    <form
      class="moderate"
      onSubmit={(e) => {
        e.preventDefault();
        send(reason);
      }}
    >
      <ErrorBox message={error} />
      <label for={id}>
        {t("moderation.reason")}
        <span class="hint" id={`${id}-hint`}>
          {t("moderation.reasonHint")}
        </span>
      </label>
      <textarea
        id={id}
        ref={field}
        rows={2}
        required
        maxLength={maxReason}
        aria-describedby={`${id}-hint`}
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") close();
        }}
      />
      <div class="actions">
        <button type="submit" class="danger small" disabled={busy}>
          {t("moderation.confirm")}
        </button>
        <button type="button" class="secondary small" onClick={close}>
          {t("members.cancel")}
        </button>
      </div>
    </form>
  );
}

/** ModerationLog is the lab's moderation log as every member reads it,
 * newest first: what was hidden or shown again, where, when, why and by
 * whom. Moderation is done in the open; no entry names an item's author. */
export function ModerationLog({ app, lab }: { app: App; lab: string }) {
  const [items, setItems] = useState<ModerationAct[] | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    app.api.moderation(lab).then(setItems, (e) => setError(messageOf(e)));
  }, [lab]);
  const entries = [...(items ?? [])].reverse();
  return (
    <section class="card activity" aria-labelledby="moderation-title">
      <h2 id="moderation-title">{t("moderation.logTitle")}</h2>
      <p class="hint">{t("moderation.logHint")}</p>
      <ErrorBox message={error} />
      {items && entries.length === 0 && <p class="empty">{t("moderation.logNone")}</p>}
      <ul class="log">
        {entries.map((a) => (
          <li key={a.id}>
            {/* Feedback on the lab has no place; on a proposal, it says "on". */}
            <span>{t(`moderation.act.${a.action}${a.kind === "feedback" && a.document ? ".on" : ""}` as MessageKey, { by: a.by })}</span>{" "}
            {a.document && (
              <Link app={app} href={`/documents/${a.document.id}`}>
                {a.document.title}
              </Link>
            )}
            {a.workshop && (
              <Link app={app} href={`/workshops/${a.workshop.id}`}>
                {a.workshop.title}
              </Link>
            )}
            {a.reason && <span class="block">{t("moderation.logReason", { reason: a.reason })}</span>}
            <span class="meta block">{formatDate(a.at)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
