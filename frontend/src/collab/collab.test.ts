import { describe, expect, it } from "vitest";
import { EditorState, type Transaction } from "@codemirror/state";
import { collab } from "@codemirror/collab";
import { backoff, Connection, type ConnState, type Message, type SocketLike } from "./connection";
import { DocSync, type SectionHost } from "./doc";

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Message[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data) as Message);
  }
  close() {
    this.readyState = 3;
    this.onclose?.({} as CloseEvent);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  receive(...messages: Message[]) {
    this.onmessage?.({ data: messages.map((m) => JSON.stringify(m)).join("\n") } as MessageEvent);
  }
}

/** harness gives a connection whose sockets, timers and network the test drives. */
function harness() {
  const sockets: FakeSocket[] = [];
  const timers: (() => void)[] = [];
  const network: Record<string, () => void> = {};
  const conn = new Connection({
    url: "ws://test/api/ws",
    open: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    timers: { set: (fn) => timers.push(fn), clear: () => timers.splice(0) },
    network: {
      on: (event, fn) => {
        network[event] = fn;
        return () => delete network[event];
      },
    },
  });
  const states: ConnState[] = [];
  conn.onState((s) => states.push(s));
  return { conn, sockets, timers, network, states, last: () => sockets[sockets.length - 1] };
}

class Holder implements SectionHost {
  constructor(public state: EditorState) {}
  dispatch(tr: Transaction) {
    this.state = tr.state;
  }
  type(at: number, text: string) {
    this.state = this.state.update({ changes: { from: at, insert: text } }).state;
  }
}

function docSync(conn: Connection) {
  const holders = new Map<string, Holder>();
  const others: Message[] = [];
  const sync = new DocSync(conn, "D", "me", {
    load(section, text, version) {
      const h = new Holder(
        EditorState.create({ doc: text, extensions: [EditorState.lineSeparator.of("\n"), collab({ startVersion: version, clientID: "me" })] }),
      );
      holders.set(section, h);
      return h;
    },
    other: (m) => others.push(m),
  });
  return { sync, holders, others };
}

describe("connection", () => {
  it("backs off up to 8 seconds", () => {
    expect([0, 1, 2, 3, 4, 5, 10].map(backoff)).toEqual([250, 500, 1000, 2000, 4000, 8000, 8000]);
  });

  it("says reconnecting, then offline, and comes back online", () => {
    const h = harness();
    h.last().open();
    expect(h.conn.state).toBe("online");
    h.last().close();
    expect(h.conn.state).toBe("reconnecting");
    for (let i = 0; i < 3; i++) {
      h.timers.shift()!();
      h.last().close(); // the network is still gone
    }
    expect(h.conn.state).toBe("offline");
    h.timers.shift()!();
    h.last().open();
    expect(h.states).toEqual(["connecting", "online", "reconnecting", "offline", "online"]);
  });

  it("goes offline at once when the device does, and tries again as soon as it is back", () => {
    const { conn, sockets, network: listeners } = harness();
    sockets[0].open();
    listeners.offline();
    expect(conn.state).toBe("offline");
    expect(sockets[0].readyState).toBe(3);
    expect(conn.send({ type: "ping" })).toBe(false);
    listeners.online(); // no waiting for the backoff
    expect(sockets).toHaveLength(2);
    sockets[1].open();
    expect(conn.state).toBe("online");
    conn.close();
    expect(Object.keys(listeners)).toEqual([]);
  });

  it("splits frames into messages and routes them by document", () => {
    const h = harness();
    const got: string[] = [];
    h.conn.attach("A", { connected: () => got.push("A connected"), message: (m) => got.push(`A ${m.type}`) });
    h.conn.attach("B", { connected: () => undefined, message: (m) => got.push(`B ${m.type}`) });
    h.last().open();
    h.last().receive({ type: "presence", doc: "A" }, { type: "presence_left", doc: "B" }, { type: "update", section: "s" });
    expect(got).toEqual(["A connected", "A presence", "B presence_left", "A update", "B update"]);
  });
});

describe("DocSync", () => {
  it("keeps what is typed offline and pushes it after reconnecting", () => {
    const h = harness();
    const { sync, holders } = docSync(h.conn);
    h.last().open();
    expect(h.last().sent[0]).toMatchObject({ type: "subscribe", doc: "D" });
    expect(h.last().sent[0].versions).toBeUndefined();
    h.last().receive({ type: "section", doc: "D", section: "S", text: "abc", version: 7 }, { type: "subscribed", doc: "D", id: 1 });

    h.last().close(); // the network goes
    holders.get("S")!.type(3, "d");
    sync.changed("S");
    holders.get("S")!.type(4, "e");
    sync.changed("S");
    expect(sync.unsent()).toBe(2);

    h.timers.shift()!();
    const s = h.last();
    s.open();
    expect(s.sent).toEqual([expect.objectContaining({ type: "subscribe", versions: { S: 7 } })]);
    // Someone else's change arrives first, then the subscription completes.
    s.receive({ type: "update", section: "S", version: 8, clientID: "other", seq: 1, changes: [[0, ">"], 3] }, { type: "subscribed", doc: "D" });
    expect(holders.get("S")!.state.doc.toString()).toBe(">abcde");
    const push = s.sent[1];
    expect(push).toMatchObject({ type: "push", section: "S", version: 8, clientID: "me" });
    expect((push.updates as { seq: number }[]).map((u) => u.seq)).toEqual([1, 2]);
    // Confirmed one by one, as the server sends them back.
    s.receive({ type: "update", section: "S", version: 9, clientID: "me", seq: 1, changes: [4, [0, "d"]] });
    expect(sync.unsent()).toBe(1);
    s.receive({ type: "update", section: "S", version: 10, clientID: "me", seq: 2, changes: [5, [0, "e"]] }, { type: "pushed", section: "S", id: push.id, version: 10 });
    expect(sync.unsent()).toBe(0);
    expect(holders.get("S")!.state.doc.toString()).toBe(">abcde");
    // The next push numbers on from the confirmed ones.
    holders.get("S")!.type(0, "!");
    sync.changed("S");
    expect(s.sent[s.sent.length - 1]).toMatchObject({ version: 10, updates: [{ seq: 3 }] });
  });

  it("never gives a seq to two changes, also after the section is reloaded", () => {
    const h = harness();
    const { sync, holders } = docSync(h.conn);
    h.last().open();
    h.last().receive({ type: "section", doc: "D", section: "S", text: "", version: 0 }, { type: "subscribed", doc: "D" });
    holders.get("S")!.type(0, "hello");
    sync.changed("S");
    expect(h.last().sent[1]).toMatchObject({ type: "push", updates: [{ seq: 1 }] });
    h.last().close(); // gone before the confirmation came
    h.timers.shift()!();
    const s = h.last();
    s.open();
    // The server could not resume: the section comes again as text, with
    // "hello" in it; what was unconfirmed is dropped with the old state.
    s.receive({ type: "section", doc: "D", section: "S", text: "hello", version: 1 }, { type: "subscribed", doc: "D" });
    expect(sync.unsent()).toBe(0);
    holders.get("S")!.type(5, "!");
    sync.changed("S");
    const push = s.sent.filter((m) => m.type === "push");
    expect(push).toHaveLength(1);
    // seq 1 is taken by "hello": the server would refuse it for "!".
    expect(push[0]).toMatchObject({ version: 1, updates: [{ seq: 2 }] });
  });

  it("has one push in flight per section", () => {
    const h = harness();
    const { sync, holders } = docSync(h.conn);
    h.last().open();
    h.last().receive({ type: "section", doc: "D", section: "S", text: "", version: 0 }, { type: "subscribed", doc: "D" });
    holders.get("S")!.type(0, "a");
    sync.changed("S");
    holders.get("S")!.type(1, "b");
    sync.changed("S");
    expect(h.last().sent.filter((m) => m.type === "push")).toHaveLength(1);
  });

  it("hands errors about its own requests to the screen, and not others'", () => {
    const h = harness();
    const { others } = docSync(h.conn);
    h.last().open();
    const sub = h.last().sent[0];
    h.last().receive({ type: "error", id: 999, code: "invalid", message: "someone else's" }, { type: "error", id: sub.id, code: "not_found", message: "gone" });
    expect(others.map((m) => m.message)).toEqual(["gone"]);
  });
});
