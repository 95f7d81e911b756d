import { useEffect, useState } from "preact/hooks";
import type { Authored, Feedback, Visibility } from "../api";
import { messageOf, type App } from "../app";
import { formatDate, t } from "../i18n";
import { announce, ErrorBox } from "./forms";
import { Moderate } from "./moderation";
import { AudiencePicker, audiences } from "./audience";

/** authorName is how an item's author is shown: anonymous items never name
 * anyone, also not to facilitators; "(you)" marks the reader's own. */
export function authorName(a: Authored): string {
  const name = a.anonymous || !a.author ? t("author.anonymous") : a.author.name;
  return a.mine ? t("author.mine", { name }) : name;
}

/** mergeLive merges items that arrived over the real-time connection into
 * a list. A broadcast is the same for every reader, so it cannot say
 * "mine" and never carries a hidden item's text: what this reader already
 * knew of both is kept. */
export function mergeLive<T extends Authored & { id: string }>(old: T[], live: T[]): T[] {
  const byID = new Map(old.map((x) => [x.id, x]));
  for (const x of live) {
    const had = byID.get(x.id);
    const body = x.body === null && had?.mine ? had.body : x.body;
    byID.set(x.id, { ...had, ...x, mine: had?.mine ?? x.mine, body });
  }
  return [...byID.values()];
}

/** ItemBody shows an item's text, or that a facilitator hid it and why. Its
 * author still sees the text, with the reason it is hidden from others. */
export function ItemBody({ item }: { item: Authored }) {
  if (item.body === null) {
    return <p class="hidden-note">{t("item.hidden", { reason: item.hidden?.reason ?? "" })}</p>;
  }
  return (
    <>
      <p class="body">{item.body}</p>
      {item.hidden && <p class="hidden-note">{t("item.hiddenFromOthers", { reason: item.hidden.reason })}</p>}
    </>
  );
}

/** Stars shows a rating as text (screen readers hear "4 of 5") with stars
 * beside it for the eye. */
function Stars({ n }: { n: number }) {
  return (
    <span class="stars">
      <span aria-hidden="true">{"★".repeat(n) + "☆".repeat(5 - n)}</span>
      <span class="visually-hidden">{t("feedback.ratingOf", { n })}</span>
    </span>
  );
}

/** FeedbackPanel lists feedback on the lab or on a proposal and lets a
 * member give theirs, by name or anonymously. */
export function FeedbackPanel({ app, lab, target, targetId = "", docVisibility = "lab", canGive, canModerate = false, live = [] }: {
  app: App;
  lab: string;
  target: "lab" | "proposal";
  targetId?: string;
  /** the proposal's level, which bounds who feedback on it may reach */
  docVisibility?: Visibility;
  canGive: boolean;
  /** facilitators hide feedback with a reason, or show it again */
  canModerate?: boolean;
  /** feedback that arrived over the real-time connection */
  live?: Feedback[];
}) {
  const [items, setItems] = useState<Feedback[] | null>(null);
  const [error, setError] = useState("");
  const [formError, setFormError] = useState("");
  const [rating, setRating] = useState(0);
  const [body, setBody] = useState("");
  const [anonymous, setAnonymous] = useState(false);
  const [audience, setAudience] = useState<Visibility | "">("");
  const levels = target === "lab" ? (["lab"] as Visibility[]) : audiences(docVisibility, false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    app.api.feedback(lab, target, targetId).then((p) => setItems(p.items), (e) => setError(messageOf(e)));
  }, [lab, target, targetId]);
  useEffect(() => {
    if (live.length === 0) return;
    setItems((old) => mergeLive(old ?? [], live));
  }, [live]);

  async function give(ev: Event) {
    ev.preventDefault();
    setFormError("");
    if (rating < 1) {
      setFormError(t("feedback.needRating"));
      return;
    }
    setBusy(true);
    try {
      const f = await app.api.giveFeedback(lab, {
        target,
        targetId: targetId || undefined,
        rating,
        body,
        anonymous,
        ...(audience ? { audience } : {}),
      });
      setItems((old) => [...(old ?? []).filter((x) => x.id !== f.id), f]);
      setRating(0);
      setBody("");
      setAudience("");
      announce(anonymous ? t("feedback.sentAnonymous") : t("feedback.sent"));
    } catch (e) {
      setFormError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }
  const id = `fb-${target}`;
  return (
    <section aria-labelledby={`${id}-title`} class="feedback">
      <h2 id={`${id}-title`}>{target === "lab" ? t("feedback.onLab") : t("feedback.onProposal")}</h2>
      <ErrorBox message={error} />
      {items && items.length === 0 && <p class="empty">{t("feedback.none")}</p>}
      {items && items.length > 0 && (
        <ul class="items">
          {items.map((f) => (
            <li key={f.id} class="item">
              <p class="meta">
                <strong>{authorName(f)}</strong> · {f.rating > 0 && <><Stars n={f.rating} /> · </>}{formatDate(f.createdAt)}
              </p>
              <ItemBody item={f} />
              {canModerate && (
                <Moderate app={app} kind="feedback" item={f} changed={(x) => setItems((old) => (old ?? []).map((y) => (y.id === x.id ? x : y)))} />
              )}
            </li>
          ))}
        </ul>
      )}
      {canGive && (
        <form class="card inline" onSubmit={give} aria-labelledby={`${id}-give`}>
          <h3 id={`${id}-give`}>{t("feedback.give")}</h3>
          <ErrorBox message={formError} />
          <fieldset>
            <legend>{t("feedback.rating")}</legend>
            <div class="rating">
              {[1, 2, 3, 4, 5].map((n) => (
                <label key={n} class="choice">
                  <input type="radio" name={`${id}-rating`} value={n} checked={rating === n} onChange={() => setRating(n)} />
                  {t("feedback.ratingOf", { n })}
                </label>
              ))}
            </div>
          </fieldset>
          <label for={`${id}-body`}>{t("feedback.body")}</label>
          <textarea id={`${id}-body`} value={body} maxLength={4000} rows={4} onInput={(e) => setBody(e.currentTarget.value)} />
          <label class="choice switch">
            <input type="checkbox" role="switch" checked={anonymous} onChange={(e) => setAnonymous(e.currentTarget.checked)} />
            <span>
              {t("feedback.anonymous")}
              <span class="hint">{t("feedback.anonymousHint")}</span>
            </span>
          </label>
          <AudiencePicker id={`feedback-audience-${target}`} levels={levels} value={audience} onChange={setAudience} />
          <button type="submit" disabled={busy}>
            {t("feedback.send")}
          </button>
        </form>
      )}
    </section>
  );
}
