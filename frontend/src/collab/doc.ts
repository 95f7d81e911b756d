// DocSync keeps the sections of one document in step with the server, on
// @codemirror/collab: local changes are pushed (one push in flight per
// section), received updates are applied one at a time, and after a
// reconnect the document resubscribes with the versions it has and pushes
// what is still unconfirmed, so nothing typed while offline is lost.

import { ChangeSet, type EditorState, type Transaction } from "@codemirror/state";
import { getSyncedVersion, receiveUpdates, sendableUpdates } from "@codemirror/collab";
import type { Connection, DocListener, Message } from "./connection";

/** SectionHost holds a section's editor state: an EditorView, or a plain
 * holder in tests. */
export interface SectionHost {
  readonly state: EditorState;
  dispatch(tr: Transaction): void;
}

export interface DocEvents {
  /** load makes (or remakes) the host of a section from the server's text. */
  load(section: string, text: string, version: number, m: Message): SectionHost;
  /** remote is told when someone else's change reached a section. */
  remote?(section: string): void;
  /** subscribed is told when the subscription is complete. */
  subscribed?(): void;
  /** other receives every other message about the document (document,
   * presence, comments, revoked, errors). */
  other?(m: Message): void;
  /** unsent is told the number of local changes not yet confirmed. */
  unsent?(n: number): void;
}

export class DocSync implements DocListener {
  private hosts = new Map<string, SectionHost>();
  /** seqBase is, per section, the seq just before the first unconfirmed
   * change: the server recognises a change sent again by its seq, whatever
   * version it comes with, so a seq is never given to two changes. */
  private seqBase = new Map<string, number>();
  /** lastSent is, per section, the highest seq ever sent. */
  private lastSent = new Map<string, number>();
  private inFlight = new Set<string>();
  private pushIDs = new Map<number, string>();
  private subscribing = false;
  private subID = -1;
  private detach: () => void;

  constructor(
    private readonly conn: Connection,
    readonly doc: string,
    readonly clientID: string,
    private readonly events: DocEvents,
  ) {
    this.detach = conn.attach(doc, this);
  }

  close(): void {
    this.detach();
    this.conn.send({ type: "unsubscribe", id: this.conn.id(), doc: this.doc });
  }

  host(section: string): SectionHost | undefined {
    return this.hosts.get(section);
  }

  /** connected (re)subscribes, asking only for what was missed. */
  connected(): void {
    this.inFlight.clear();
    this.pushIDs.clear();
    this.resubscribe();
  }

  resubscribe(): void {
    const versions: Record<string, number> = {};
    for (const [id, h] of this.hosts) versions[id] = getSyncedVersion(h.state);
    this.subID = this.conn.id();
    this.subscribing = this.conn.send({
      type: "subscribe",
      id: this.subID,
      doc: this.doc,
      ...(this.hosts.size ? { versions } : {}),
    });
  }

  /** unsent counts local changes the server has not confirmed. */
  unsent(): number {
    let n = 0;
    for (const h of this.hosts.values()) n += sendableUpdates(h.state).length;
    return n;
  }

  /** changed is called after a local edit of a section. */
  changed(section: string): void {
    this.push(section);
    this.events.unsent?.(this.unsent());
  }

  private push(section: string): void {
    const h = this.hosts.get(section);
    if (!h || this.subscribing || this.inFlight.has(section)) return;
    const sendable = sendableUpdates(h.state);
    if (sendable.length === 0) return;
    const first = this.seqBase.get(section) ?? 0;
    const updates = sendable.slice(0, 100).map((u, i) => ({ seq: first + i + 1, changes: u.changes.toJSON() }));
    const id = this.conn.id();
    const sent = this.conn.send({
      type: "push",
      id,
      doc: this.doc,
      section,
      version: getSyncedVersion(h.state),
      clientID: this.clientID,
      updates,
    });
    if (sent) {
      this.lastSent.set(section, Math.max(this.lastSent.get(section) ?? 0, first + updates.length));
      this.inFlight.add(section);
      this.pushIDs.set(id, section);
    }
  }

  private pushAll(): void {
    for (const id of this.hosts.keys()) this.push(id);
  }

  message(m: Message): void {
    switch (m.type) {
      case "section": {
        const section = String(m.section);
        this.hosts.set(section, this.events.load(section, String(m.text), Number(m.version), m));
        // A reloaded section starts with nothing unconfirmed; whatever was
        // sent before keeps its seq, so new changes number after it.
        this.seqBase.set(section, this.lastSent.get(section) ?? 0);
        return;
      }
      case "update": {
        const section = String(m.section);
        const h = this.hosts.get(section);
        if (!h) return; // another document's section
        if (Number(m.version) !== getSyncedVersion(h.state) + 1) {
          // A gap cannot happen on one connection; if it does, start over.
          this.resubscribe();
          return;
        }
        const own = m.clientID === this.clientID;
        if (own) this.seqBase.set(section, (this.seqBase.get(section) ?? 0) + 1);
        const changes = ChangeSet.fromJSON(m.changes);
        h.dispatch(receiveUpdates(h.state, [{ changes, clientID: String(m.clientID) }]));
        if (!own) this.events.remote?.(section);
        this.events.unsent?.(this.unsent());
        return;
      }
      case "pushed": {
        const section = String(m.section);
        if (!this.hosts.has(section)) return;
        this.inFlight.delete(section);
        this.pushIDs.delete(Number(m.id));
        this.push(section);
        return;
      }
      case "subscribed":
        this.subscribing = false;
        this.pushAll();
        this.events.subscribed?.();
        this.events.unsent?.(this.unsent());
        return;
      case "error": {
        const section = this.pushIDs.get(Number(m.id));
        if (Number(m.id) === this.subID) this.subscribing = false;
        else if (m.doc === undefined && section === undefined) return; // another document's
        if (section !== undefined) {
          this.pushIDs.delete(Number(m.id));
          this.inFlight.delete(section);
          if (m.code === "resync") {
            this.resubscribe();
            return;
          }
        }
        this.events.other?.(m);
        return;
      }
      case "revoked":
        // Who may read changed: ask again (with the versions we have, so
        // nothing typed is dropped); an error answers if no longer.
        this.inFlight.clear();
        this.resubscribe();
        this.events.other?.(m);
        return;
    }
    if (m.doc === this.doc) this.events.other?.(m);
  }
}
