// The session room: hands and the floor, the idea wall and votes, for a
// participant on a phone; the same with the facilitator's tools for the
// facilitator. Everything the room shows comes from the server, which
// orders the queue; this screen only asks.

import { Exports, fileName } from "../ui/exports";
import { useEffect, useState } from "preact/hooks";
import type { Balance, BalanceGroup, Hand, Idea, Member, Room as RoomState, Vote, Workshop } from "../api";
import { messageOf, type App } from "../app";
import { formatNumber, t, type MessageKey } from "../i18n";
import { announce, ErrorBox } from "../ui/forms";
import { Link } from "../ui/link";
import type { LiveWorkshop } from "./live";
import { addOwnIdea, dotsLeft, themes } from "./state";

const levelName = (l: string) => t(`room.level.${l || "none"}` as MessageKey);
const sectorName = (s: string) => t(`sector.${s || "none"}` as MessageKey);
const roleName = (r: string) => t(`role.${r}` as MessageKey);

/** Room is everything below the timer in a running workshop. */
export function Room({ app, live }: { app: App; live: LiveWorkshop }) {
  const { w, room } = live;
  const [error, setError] = useState("");
  // A participant is present from the moment they open the room.
  const joins = !!w && !!room && room.me.votes && !room.me.present && w.status !== "ended";
  useEffect(() => {
    if (joins && w) app.api.joinRoom(w.id).catch(() => {});
  }, [joins]);
  if (!w || !room) return null;
  const id = w.id;
  const underway = w.status === "running" || w.status === "paused";
  const phase = w.phase >= 0 ? w.agenda[w.phase] : undefined;
  async function run(what: () => Promise<unknown>, done?: string) {
    setError("");
    try {
      await what();
      if (done) announce(done);
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <>
      <ErrorBox message={error} />
      <div class="room">
        {underway && <Turns app={app} w={w} room={room} run={run} />}
        {(phase?.kind === "ideas" || room.ideas.length > 0) && (
          <IdeaWall app={app} w={w} room={room} live={live} run={run} canPost={underway && phase?.kind === "ideas"} />
        )}
        <Votes app={app} w={w} room={room} live={live} run={run} />
        {room.me.runs && w.status !== "ended" && <OnBehalf app={app} w={w} run={run} />}
        {room.me.runs && <BalancePanel app={app} w={w} changes={live.changes} />}
        {w.status === "ended" && <Report app={app} w={w} />}
        {room.me.runs && w.status !== "ended" && (
          <p>
            <Link app={app} href={`/workshops/${id}/projector`}>
              {t("room.projector")}
            </Link>
          </p>
        )}
      </div>
    </>
  );
}

type Run = (what: () => Promise<unknown>, done?: string) => Promise<void>;

function Turns({ app, w, room, run }: { app: App; w: Workshop; room: RoomState; run: Run }) {
  const me = room.me.account;
  const raised = room.queue.some((h) => h.account === me);
  const head = room.queue[0]?.account ?? "";
  const give = (h: Hand) =>
    run(async () => {
      if (h.account !== head && !confirm(t("room.confirmOverride", { name: h.name, head: room.queue[0].name }))) return;
      await app.api.giveFloor(w.id, h.account, head);
    }, t("room.floorGiven", { name: h.name }));
  return (
    <section class="card turns" aria-labelledby="turns-title">
      <h2 id="turns-title">{t("room.turns")}</h2>
      <p class="floor" aria-live="polite">
        {room.floor ? t(room.floor.account === me ? "room.youHaveFloor" : "room.speaking", { name: room.floor.name }) : t("room.nobodySpeaking")}
      </p>
      {room.me.votes && room.floor?.account !== me && (
        <button class={`hand${raised ? " raised" : ""}`} aria-pressed={raised} onClick={() => run(() => app.api.raiseHand(w.id, !raised), t(raised ? "room.lowered" : "room.raised"))}>
          {t(raised ? "room.lower" : "room.raise")}
        </button>
      )}
      {room.me.runs && room.floor && (
        <button class="secondary" onClick={() => run(() => app.api.returnFloor(w.id), t("room.floorBack"))}>
          {t("room.takeBack")}
        </button>
      )}
      <h3>{t("room.queue")}</h3>
      {room.queue.length === 0 ? (
        <p class="meta">{t("room.noHands")}</p>
      ) : (
        <ol class="queue">
          {room.queue.map((h, i) => (
            <li key={h.account}>
              <span>
                {h.name}
                {h.account === me && <strong> {t("room.you")}</strong>}
                <span class="meta"> · {levelName(h.level)}</span>
                {h.onBehalf && <span class="meta"> · {t("room.onBehalf")}</span>}
              </span>
              {room.me.runs && (
                <button class={i === 0 ? "" : "secondary"} onClick={() => give(h)}>
                  {t(i === 0 ? "room.give" : "room.givePast")}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {room.me.runs && (
        <label class="check">
          <input type="checkbox" checked={room.balanced} onChange={(e) => run(() => app.api.balanceQueue(w.id, (e.target as HTMLInputElement).checked))} />
          {t("room.balanceLevels")}
        </label>
      )}
      <p class="hint">{t("room.fairOrder")}</p>
    </section>
  );
}

function IdeaWall({ app, w, room, live, run, canPost }: { app: App; w: Workshop; room: RoomState; live: LiveWorkshop; run: Run; canPost: boolean }) {
  const [text, setText] = useState("");
  const [named, setNamed] = useState(false);
  const known = themes(room.ideas)
    .map((g) => g.theme)
    .filter(Boolean);
  async function post(e: Event) {
    e.preventDefault();
    await run(async () => {
      const idea = await app.api.postIdea(w.id, text, named);
      live.setRoom((r) => addOwnIdea(r, idea));
      setText("");
    }, t("room.ideaPosted"));
  }
  return (
    <section class="card ideas" aria-labelledby="ideas-title">
      <h2 id="ideas-title">{t("room.ideas")}</h2>
      {canPost && room.me.votes && (
        <form onSubmit={post}>
          <label for="idea-text">{t("room.yourIdea")}</label>
          <textarea id="idea-text" maxLength={280} rows={3} required value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
          <label class="check">
            <input type="checkbox" checked={named} onChange={(e) => setNamed((e.target as HTMLInputElement).checked)} />
            {t("room.withName")}
          </label>
          <p class="hint">{t(named ? "room.namedHint" : "room.anonymousHint")}</p>
          <button type="submit">{t("room.post")}</button>
        </form>
      )}
      {room.ideas.length === 0 && <p class="meta">{t("room.noIdeas")}</p>}
      <datalist id="themes">
        {known.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      {themes(room.ideas).map((g, _, all) => (
        <div key={g.theme} class="theme">
          {(g.theme || all.length > 1) && <h3>{g.theme || t("room.noTheme")}</h3>}
          <ul class="wall">
            {g.ideas.map((i) => (
              <IdeaCard key={i.id} app={app} w={w} room={room} idea={i} run={run} />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function IdeaCard({ app, w, room, idea, run }: { app: App; w: Workshop; room: RoomState; idea: Idea; run: Run }) {
  const [theme, setTheme] = useState(idea.theme);
  const [reason, setReason] = useState("");
  return (
    <li class={`idea${idea.hidden ? " hidden" : ""}`}>
      {idea.hidden ? (
        <p>
          <em>{t("room.hiddenBecause", { reason: idea.hidden })}</em>
          {idea.mine && idea.text && <span class="meta"> · {t("room.yourText", { text: idea.text })}</span>}
        </p>
      ) : (
        <p class="idea-text">{idea.text}</p>
      )}
      <p class="meta">
        {idea.named ? idea.author : t("room.anonymous")}
        {idea.mine && ` · ${t("room.yours")}`}
        {idea.onBehalf && ` · ${t("room.onBehalf")}`}
      </p>
      {idea.draft ? (
        <Link app={app} href={`/documents/${idea.draft}`}>
          {t("room.openDraft")}
        </Link>
      ) : (
        !idea.hidden &&
        room.me.votes && (
          <button
            class="secondary"
            onClick={() =>
              run(async () => {
                const d = await app.api.draftFromIdea(w.id, idea.id);
                app.navigate(`/documents/${d.document}`);
              })
            }
          >
            {t("room.makeDraft")}
          </button>
        )
      )}
      {room.me.runs && !idea.hidden && (
        <details>
          <summary>{t("room.moderate")}</summary>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              run(() => app.api.moderateIdea(w.id, idea.id, { theme }), t("room.themed"));
            }}
          >
            <label for={`theme-${idea.id}`}>{t("room.theme")}</label>
            <input id={`theme-${idea.id}`} list="themes" maxLength={60} value={theme} onInput={(e) => setTheme((e.target as HTMLInputElement).value)} />
            <button type="submit" class="secondary">
              {t("room.setTheme")}
            </button>
          </form>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              run(() => app.api.moderateIdea(w.id, idea.id, { reason }), t("room.hidden"));
            }}
          >
            <label for={`reason-${idea.id}`}>{t("room.hideReason")}</label>
            <input id={`reason-${idea.id}`} required maxLength={500} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
            <button type="submit" class="secondary">
              {t("room.hide")}
            </button>
          </form>
        </details>
      )}
    </li>
  );
}

function Votes({ app, w, room, live, run }: { app: App; w: Workshop; room: RoomState; live: LiveWorkshop; run: Run }) {
  const underway = w.status === "running" || w.status === "paused";
  if (live.votes.length === 0 && !(room.me.runs && underway)) return null;
  return (
    <section class="card votes" aria-labelledby="votes-title">
      <h2 id="votes-title">{t("room.votes")}</h2>
      {room.me.runs && underway && <OpenVote app={app} w={w} live={live} run={run} />}
      {[...live.votes].reverse().map((v) => (
        <VoteCard key={v.id} app={app} w={w} room={room} v={v} live={live} run={run} />
      ))}
    </section>
  );
}

function OpenVote({ app, w, live, run }: { app: App; w: Workshop; live: LiveWorkshop; run: Run }) {
  const [question, setQuestion] = useState("");
  const [method, setMethod] = useState<Vote["method"]>("agree");
  const [options, setOptions] = useState("");
  const [dots, setDots] = useState(3);
  const [anonymous, setAnonymous] = useState(true);
  return (
    <details class="open-vote">
      <summary>{t("room.newVote")}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run(async () => {
            const opts = options
              .split("\n")
              .map((o) => o.trim())
              .filter(Boolean);
            const v = await app.api.openVote(w.id, { question, method, anonymous, ...(method === "dots" ? { options: opts, dots } : {}) });
            live.setVotes((vs) => (vs.some((x) => x.id === v.id) ? vs : [...vs, v]));
            setQuestion("");
          }, t("room.voteOpened"));
        }}
      >
        <label for="vote-question">{t("room.question")}</label>
        <input id="vote-question" required maxLength={300} value={question} onInput={(e) => setQuestion((e.target as HTMLInputElement).value)} />
        <label for="vote-method">{t("room.method")}</label>
        <select id="vote-method" value={method} onChange={(e) => setMethod((e.target as HTMLSelectElement).value as Vote["method"])}>
          <option value="agree">{t("room.method.agree")}</option>
          <option value="dots">{t("room.method.dots")}</option>
        </select>
        {method === "dots" && (
          <>
            <label for="vote-options">
              {t("room.options")}
              <span class="hint">{t("room.optionsHint")}</span>
            </label>
            <textarea id="vote-options" rows={4} required value={options} onInput={(e) => setOptions((e.target as HTMLTextAreaElement).value)} />
            <label for="vote-dots">{t("room.dotsEach")}</label>
            <input id="vote-dots" type="number" min={1} max={10} value={dots} onInput={(e) => setDots(Number((e.target as HTMLInputElement).value))} />
          </>
        )}
        <label class="check">
          <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous((e.target as HTMLInputElement).checked)} />
          {t("room.anonymousVote")}
        </label>
        <button type="submit">{t("room.openVote")}</button>
      </form>
    </details>
  );
}

function VoteCard({ app, w, room, v, live, run }: { app: App; w: Workshop; room: RoomState; v: Vote; live: LiveWorkshop; run: Run }) {
  const [choice, setChoice] = useState("");
  const [dots, setDots] = useState<number[]>(v.options.map(() => 0));
  const [comment, setComment] = useState("");
  const left = dotsLeft(v.dots, dots);
  const canVote = v.status === "open" && room.me.votes && !v.voted;
  async function cast(e: Event) {
    e.preventDefault();
    await run(async () => {
      const ballot = v.method === "agree" ? { choice, comment } : { dots, comment };
      const got = await app.api.castBallot(w.id, v.id, ballot);
      live.setVotes((vs) => vs.map((x) => (x.id === v.id ? { ...got, voted: true } : x)));
    }, t("room.counted"));
  }
  return (
    <article class="vote" aria-labelledby={`q-${v.id}`}>
      <h3 id={`q-${v.id}`}>{v.question}</h3>
      <p class="meta">
        {t(v.anonymous ? "room.anonymousNote" : "room.namedNote")} · {t("room.voters", { n: formatNumber(v.voters) })}
        {v.status === "open" && ` · ${t("room.sealed")}`}
      </p>
      {canVote && (
        <form onSubmit={cast}>
          {v.method === "agree" ? (
            <fieldset>
              <legend>{t("room.yourVote")}</legend>
              {v.options.map((o) => (
                <label class="check" key={o}>
                  <input type="radio" name={`choice-${v.id}`} value={o} required checked={choice === o} onChange={() => setChoice(o)} />
                  {t(`room.choice.${o}` as MessageKey)}
                </label>
              ))}
            </fieldset>
          ) : (
            <fieldset>
              <legend>{t("room.dotsLeft", { n: left, of: v.dots })}</legend>
              {v.options.map((o, i) => (
                <div key={o} class="dot-option">
                  <label for={`dots-${v.id}-${i}`}>{o}</label>
                  <input
                    id={`dots-${v.id}-${i}`}
                    type="number"
                    min={0}
                    max={v.dots}
                    value={dots[i]}
                    onInput={(e) => setDots(dots.map((d, j) => (j === i ? Math.max(0, Number((e.target as HTMLInputElement).value) || 0) : d)))}
                  />
                </div>
              ))}
            </fieldset>
          )}
          <label for={`comment-${v.id}`}>{t("room.comment")}</label>
          <input id={`comment-${v.id}`} maxLength={500} value={comment} onInput={(e) => setComment((e.target as HTMLInputElement).value)} />
          <p class="hint">{t("room.final")}</p>
          <button type="submit" disabled={v.method === "dots" && (left < 0 || left === v.dots)}>
            {t("room.cast")}
          </button>
        </form>
      )}
      {v.status === "open" && v.voted && <p>{t("room.counted")}</p>}
      {room.me.runs && v.status === "open" && (
        <div class="controls">
          <button onClick={() => run(() => app.api.closeVote(w.id, v.id), t("room.closed"))}>{t("room.closeVote")}</button>
          {!v.anonymous && (
            <button class="secondary" onClick={() => confirm(t("room.confirmAnonymise")) && run(() => app.api.anonymiseVote(w.id, v.id))}>
              {t("room.anonymise")}
            </button>
          )}
        </div>
      )}
      {v.results && <Results v={v} />}
    </article>
  );
}

/** Results are bars a room reads at a glance, with the numbers beside them
 * in a table screen readers read. */
export function Results({ v }: { v: Vote }) {
  const r = v.results!;
  const max = Math.max(1, ...Object.values(r.counts));
  const label = (o: string) => (v.method === "agree" ? t(`room.choice.${o}` as MessageKey) : o);
  return (
    <div class="results">
      <table class="bars">
        <caption>{t("room.resultsAll", { n: formatNumber(r.voters) })}</caption>
        <tbody>
          {v.options.map((o) => (
            <tr key={o}>
              <th scope="row">{label(o)}</th>
              <td class="num">{formatNumber(r.counts[o] ?? 0)}</td>
              <td class="bar-cell" aria-hidden="true">
                <span class="bar-fill" style={{ width: `${((r.counts[o] ?? 0) / max) * 100}%` }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.levels.length > 0 && (
        <table class="by-level">
          <caption>{t("room.byLevel")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("room.option")}</th>
              {r.levels.map((l) => (
                <th scope="col" key={l.level}>
                  {levelName(l.level)}
                </th>
              ))}
              {Object.keys(r.weighted).length > 0 && <th scope="col">{t("room.weighted")}</th>}
            </tr>
          </thead>
          <tbody>
            {v.options.map((o) => (
              <tr key={o}>
                <th scope="row">{label(o)}</th>
                {r.levels.map((l) => (
                  <td key={l.level}>{l.suppressed ? t("room.suppressed") : formatNumber(l.counts?.[o] ?? 0)}</td>
                ))}
                {Object.keys(r.weighted).length > 0 && <td>{`${Math.round((r.weighted[o] ?? 0) * 100)}%`}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r.levels.some((l) => l.suppressed) && <p class="hint">{t("room.suppressedHint")}</p>}
      {r.comments.length > 0 && (
        <>
          <h4>{t("room.comments")}</h4>
          <ul>
            {r.comments.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
        </>
      )}
      {v.ballots && v.ballots.length > 0 && (
        <>
          <h4>{t("room.ballots")}</h4>
          <ul>
            {v.ballots.map((b) => (
              <li key={b.account}>
                {b.name}: {b.choice ? label(b.choice) : (b.dots ?? []).map((n, i) => (n ? `${v.options[i]} ${n}` : "")).filter(Boolean).join(", ")}
                {b.comment && ` – ${b.comment}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function OnBehalf({ app, w, run }: { app: App; w: Workshop; run: Run }) {
  const [members, setMembers] = useState<Member[]>([]);
  const [account, setAccount] = useState("");
  const [text, setText] = useState("");
  useEffect(() => {
    app.api.members(w.labId).then(
      (p) => setMembers(p.items.filter((m) => m.role !== "facilitator")),
      () => {},
    );
  }, [w.labId]);
  const name = members.find((m) => m.accountId === account)?.displayName ?? "";
  return (
    <details class="card on-behalf">
      <summary>{t("room.onBehalfTitle")}</summary>
      <p class="hint">{t("room.onBehalfHint")}</p>
      <label for="behalf-who">{t("room.who")}</label>
      <select id="behalf-who" value={account} onChange={(e) => setAccount((e.target as HTMLSelectElement).value)}>
        <option value="">{t("room.choose")}</option>
        {members.map((m) => (
          <option key={m.accountId} value={m.accountId}>
            {m.displayName}
          </option>
        ))}
      </select>
      <div class="controls">
        <button class="secondary" disabled={!account} onClick={() => run(() => app.api.onBehalf(w.id, { account, act: "join" }), t("room.markedPresent", { name }))}>
          {t("room.markPresent")}
        </button>
        <button class="secondary" disabled={!account} onClick={() => run(() => app.api.onBehalf(w.id, { account, act: "hand", raised: true }), t("room.raisedFor", { name }))}>
          {t("room.raiseFor")}
        </button>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run(async () => {
            await app.api.onBehalf(w.id, { account, act: "idea", text });
            setText("");
          }, t("room.ideaPosted"));
        }}
      >
        <label for="behalf-idea">{t("room.ideaFor")}</label>
        <input id="behalf-idea" maxLength={280} value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        <button type="submit" class="secondary" disabled={!account || !text.trim()}>
          {t("room.post")}
        </button>
      </form>
    </details>
  );
}

function BalancePanel({ app, w, changes }: { app: App; w: Workshop; changes: number }) {
  const [b, setB] = useState<Balance | null>(null);
  // Refreshed after room events, at most every few seconds.
  useEffect(() => {
    const timer = setTimeout(() => app.api.balance(w.id).then(setB, () => {}), changes === 0 ? 0 : 3000);
    return () => clearTimeout(timer);
  }, [w.id, changes, w.status]);
  if (!b) return null;
  return (
    <section class="card balance" aria-labelledby="balance-title">
      <h2 id="balance-title">{t("room.balance")}</h2>
      <BalanceTables b={b} />
      {b.notHeardNames && (
        <p>
          <strong>{t("room.notHeard")}</strong> {b.notHeardNames.length === 0 ? t("room.everyoneHeard") : b.notHeardNames.join(", ")}
        </p>
      )}
    </section>
  );
}

/** BalanceTables shows the balance by level, by sector (when anyone
 * present works in one) and by role. */
function BalanceTables({ b }: { b: Balance }) {
  return (
    <>
      <BalanceTable groups={b.levels} title={t("room.byLevel")} name={levelName} />
      {b.sectors.some((g) => g.key !== "") && <BalanceTable groups={b.sectors} title={t("room.bySector")} name={sectorName} />}
      <BalanceTable groups={b.roles} title={t("room.byRole")} name={roleName} />
      {b.levels.some((g) => g.anonymousHidden) && <p class="hint">{t("room.anonymousHiddenNote")}</p>}
    </>
  );
}

export function BalanceTable({ groups, title, name }: { groups: BalanceGroup[]; title: string; name: (k: string) => string }) {
  return (
    <table class="bars balance-table">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{t("room.group")}</th>
          <th scope="col">{t("room.sharePresent")}</th>
          <th scope="col">{t("room.shareSpeaking")}</th>
          <th scope="col">{t("room.turnsCol")}</th>
          <th scope="col">{t("room.ideasCol")}</th>
          <th scope="col">{t("room.commentsCol")}</th>
          <th scope="col">{t("room.editsCol")}</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={g.key}>
            <th scope="row">{name(g.key)}</th>
            <td>
              <span class="pair">
                <span class="bar-fill present" style={{ width: `${g.presentShare * 100}%` }} aria-hidden="true" />
                {`${Math.round(g.presentShare * 100)}%`}
              </span>
            </td>
            <td>
              <span class="pair">
                <span class="bar-fill" style={{ width: `${g.speakingShare * 100}%` }} aria-hidden="true" />
                {`${Math.round(g.speakingShare * 100)}%`}
              </span>
            </td>
            <td>{formatNumber(g.turns)}</td>
            <td>{g.anonymousHidden ? `${formatNumber(g.ideas)}*` : formatNumber(g.ideas)}</td>
            <td>{formatNumber(g.comments)}</td>
            <td>{formatNumber(g.edits)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Report({ app, w }: { app: App; w: Workshop }) {
  const [b, setB] = useState<Balance | null>(null);
  useEffect(() => {
    app.api.balance(w.id).then(setB, () => {});
  }, [w.id]);
  return (
    <section class="card report" aria-labelledby="report-title">
      <h2 id="report-title">{t("room.report")}</h2>
      {b && <BalanceTables b={b} />}
      {b && <p>{t("room.notHeardCount", { n: formatNumber(b.notHeardCount) })}</p>}
      <Exports base={`/api/workshops/${w.id}/report`} name={fileName(`${t("room.report")} ${w.title}`, w.id)} />
    </section>
  );
}
