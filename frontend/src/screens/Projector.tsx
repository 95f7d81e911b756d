// The projector view: what the back of the room reads. The phase and its
// countdown, how to join (a QR code, the address and the short code), who
// has the floor and who is next, the idea wall and the last vote's result.

import { useEffect, useState } from "preact/hooks";
import { encode } from "uqr";
import type { App } from "../app";
import { t, type MessageKey } from "../i18n";
import { useLiveWorkshop } from "../room/live";
import { Results } from "../room/Room";
import { themes } from "../room/state";
import { ErrorBox } from "../ui/forms";
import { Link } from "../ui/link";
import { clock, remaining } from "./Workshop";

/** QRCode draws a QR code as one SVG path, with the quiet zone the
 * standard asks for. */
export function QRCode({ text, label }: { text: string; label: string }) {
  const qr = encode(text, { ecc: "M", border: 4 });
  let d = "";
  qr.data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    }),
  );
  return (
    <svg class="qr" viewBox={`0 0 ${qr.size} ${qr.size}`} role="img" aria-label={label} shape-rendering="crispEdges">
      <rect width={qr.size} height={qr.size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}

export function Projector({ app, id }: { app: App; id: string }) {
  const live = useLiveWorkshop(app, id);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, []);
  const { w, room } = live;
  if (!w) return live.error ? <ErrorBox message={live.error} /> : <p>{t("app.loading")}</p>;
  const phase = w.phase >= 0 ? w.agenda[w.phase] : undefined;
  const left = remaining(w, live.at, now);
  const joinURL = `${location.origin}/join/${w.code}`;
  const lastClosed = [...live.votes].reverse().find((v) => v.status === "closed");
  return (
    <div class="projector">
      <p class="crumbs">
        <Link app={app} href={`/workshops/${id}`}>
          {t("room.backToRoom")}
        </Link>
      </p>
      <h1>{w.title}</h1>
      <div class="projector-top">
        <section class="now-on" aria-labelledby="p-phase">
          <p class="meta">{t(`workshop.status.${w.status}` as MessageKey)}</p>
          <h2 id="p-phase">{phase ? phase.title : t("workshop.notStarted")}</h2>
          {(w.status === "running" || w.status === "paused") && (
            <p class={`timer${left === 0 ? " over" : ""}`} role="timer" aria-label={t("workshop.timeLeft")}>
              {clock(left)}
            </p>
          )}
        </section>
        {w.status !== "ended" && w.code && (
          <section class="join" aria-labelledby="p-join">
            <h2 id="p-join">{t("room.joinTitle")}</h2>
            <QRCode text={joinURL} label={t("room.qrLabel", { url: joinURL })} />
            <p class="join-url">{joinURL}</p>
            <p>
              {t("room.orCode")} <strong class="code">{w.code}</strong>
            </p>
          </section>
        )}
      </div>
      {room && (
        <div class="projector-room">
          <section aria-labelledby="p-floor">
            <h2 id="p-floor">{t("room.turns")}</h2>
            <p class="floor">{room.floor ? t("room.speaking", { name: room.floor.name }) : t("room.nobodySpeaking")}</p>
            <ol class="queue">
              {room.queue.slice(0, 6).map((h) => (
                <li key={h.account}>{h.name}</li>
              ))}
            </ol>
          </section>
          {room.ideas.length > 0 && (
            <section aria-labelledby="p-ideas">
              <h2 id="p-ideas">{t("room.ideas")}</h2>
              {themes(room.ideas.filter((i) => !i.hidden)).map((g) => (
                <div key={g.theme}>
                  {g.theme && <h3>{g.theme}</h3>}
                  <ul class="wall">
                    {g.ideas.map((i) => (
                      <li key={i.id} class="idea">
                        {i.text}
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </section>
          )}
          {lastClosed && (
            <section aria-labelledby="p-vote">
              <h2 id="p-vote">{lastClosed.question}</h2>
              <Results v={lastClosed} />
            </section>
          )}
        </div>
      )}
    </div>
  );
}
