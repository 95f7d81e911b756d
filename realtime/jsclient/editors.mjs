// Headless editors built on the real @codemirror/state and @codemirror/collab,
// talking to a LinkLab server over /api/ws exactly as the browser will. The
// Go tests start this script and talk to it over stdin/stdout, one JSON
// object per line.
//
//   node editors.mjs  < {"url","cookie","doc","count","edits","seed","reconnect","mode"}
//
// With "urls" (several instances of one LinkLab), editor n starts on
// urls[n % urls.length] and each reconnect moves it to the next one.
//
// It prints {"ready": true} once every editor is subscribed. Mode "random":
// each editor makes `edits` random edits with random pauses and reconnects,
// then pushes until everything is confirmed, and prints {"done": true}.
// Mode "trap": one editor waits for {"go": true}, then makes one edit and
// pushes it against the version it has, before reading the updates already
// waiting for it. Then, given {"final": {section: version}}, every editor
// reads until it has those versions and prints {"texts": [{section: text}]}.
import { ChangeSet, EditorState } from "@codemirror/state";
import { collab, getSyncedVersion, receiveUpdates, sendableUpdates } from "@codemirror/collab";
import { createInterface } from "node:readline";
import WebSocket from "ws";
import { randomChanges, rng } from "./random.mjs";

const out = (v) => process.stdout.write(JSON.stringify(v) + "\n");
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

class Editor {
  constructor(cfg, n, rand) {
    this.cfg = cfg;
    this.clientID = `cm${n}-${Math.floor(rand() * 1e9).toString(36)}`;
    this.rand = rand;
    this.states = new Map(); // section -> EditorState
    this.confirmed = new Map(); // section -> own updates confirmed so far
    this.queue = [];
    this.waiters = [];
    this.pushing = new Set();
    this.paused = false;
    this.urls = cfg.urls ?? [cfg.url];
    this.at = n % this.urls.length;
  }

  async connect() {
    if (this.ws) {
      this.ws.close();
      this.at = (this.at + 1) % this.urls.length;
    }
    const url = this.urls[this.at];
    const ws = new WebSocket(url.replace(/^http/, "ws") + "/api/ws", {
      headers: { Cookie: this.cfg.cookie, Origin: url },
    });
    this.ws = ws;
    this.queue = [];
    ws.on("message", (data) => {
      if (ws !== this.ws) return;
      for (const line of String(data).split("\n")) this.queue.push(JSON.parse(line));
      this.wake();
    });
    ws.on("close", () => this.wake());
    await new Promise((ok, fail) => {
      ws.once("open", ok);
      ws.once("error", fail);
    });
    const versions = {};
    for (const [id, st] of this.states) versions[id] = getSyncedVersion(st);
    ws.send(JSON.stringify({ type: "subscribe", id: 1, doc: this.cfg.doc, ...(this.states.size ? { versions } : {}) }));
    for (;;) {
      const m = await this.nextMessage();
      if (m.type === "subscribed") break;
      this.handle(m);
    }
    this.pushing.clear();
  }

  wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  async nextMessage() {
    while (this.queue.length === 0) {
      if (this.ws.readyState > 1) throw new Error(`${this.clientID}: connection closed`);
      await new Promise((ok) => this.waiters.push(ok));
    }
    return this.queue.shift();
  }

  /** handle applies one message; updates go to receiveUpdates one at a time. */
  handle(m) {
    switch (m.type) {
      case "section": {
        const state = EditorState.create({
          doc: m.text,
          extensions: [EditorState.lineSeparator.of("\n"), collab({ startVersion: m.version, clientID: this.clientID })],
        });
        this.states.set(m.section, state);
        this.confirmed.set(m.section, 0);
        break;
      }
      case "update": {
        const state = this.states.get(m.section);
        if (m.version !== getSyncedVersion(state) + 1) throw new Error(`${this.clientID}: update ${m.version} after ${getSyncedVersion(state)}`);
        if (m.clientID === this.clientID) this.confirmed.set(m.section, this.confirmed.get(m.section) + 1);
        const update = { changes: ChangeSet.fromJSON(m.changes), clientID: m.clientID };
        this.states.set(m.section, receiveUpdates(state, [update]).state);
        break;
      }
      case "pushed":
        this.pushing.delete(m.section);
        break;
      case "error":
        throw new Error(`${this.clientID}: server error ${m.code}: ${m.message}`);
    }
  }

  drain() {
    while (this.queue.length) this.handle(this.queue.shift());
  }

  edit(section) {
    const state = this.states.get(section);
    const specs = randomChanges(this.rand, state.doc.toString());
    this.states.set(section, state.update({ changes: specs }).state);
  }

  push(section) {
    const state = this.states.get(section);
    const sendable = sendableUpdates(state);
    if (this.pushing.has(section) || sendable.length === 0) return;
    const first = this.confirmed.get(section);
    this.pushing.add(section);
    this.ws.send(JSON.stringify({
      type: "push", id: 2, doc: this.cfg.doc, section, version: getSyncedVersion(state), clientID: this.clientID,
      updates: sendable.map((u, i) => ({ seq: first + i + 1, changes: u.changes.toJSON() })),
    }));
  }

  unconfirmed() {
    let n = 0;
    for (const st of this.states.values()) n += sendableUpdates(st).length;
    return n;
  }

  async settle() {
    for (let rounds = 0; this.unconfirmed() > 0; rounds++) {
      if (rounds > 10000) throw new Error(`${this.clientID}: changes never confirmed`);
      for (const id of this.states.keys()) this.push(id);
      try {
        this.handle(await this.nextMessage());
      } catch (e) {
        if (this.ws.readyState > 1) await this.connect();
        else throw e;
      }
    }
  }

  async reach(final) {
    for (const [id, v] of Object.entries(final)) {
      while (getSyncedVersion(this.states.get(id)) < v) this.handle(await this.nextMessage());
    }
    const texts = {};
    for (const [id, st] of this.states) texts[id] = st.doc.toString();
    return texts;
  }
}

async function randomRun(cfg, editor) {
  const sections = [...editor.states.keys()];
  for (let i = 0; i < cfg.edits; i++) {
    await sleep(Math.floor(editor.rand() * 6));
    editor.drain();
    const section = sections[Math.floor(editor.rand() * sections.length)];
    editor.edit(section);
    const x = editor.rand();
    if (x < cfg.reconnect) await editor.connect();
    else if (x < 0.7) editor.push(section);
  }
  await editor.settle();
}

const lines = createInterface({ input: process.stdin });
const inbox = [];
let wakeInbox = null;
lines.on("line", (l) => {
  inbox.push(JSON.parse(l));
  wakeInbox?.();
});
async function read() {
  while (!inbox.length) await new Promise((ok) => (wakeInbox = ok));
  return inbox.shift();
}

const cfg = await read();
const base = rng(cfg.seed);
const editors = Array.from({ length: cfg.count }, (_, n) => new Editor(cfg, n, rng(Math.floor(base() * 2 ** 32))));
await Promise.all(editors.map((e) => e.connect()));
out({ ready: true });

if (cfg.mode === "trap") {
  await read(); // {"go": true}: the other edits are accepted and waiting in our socket
  const e = editors[0];
  const [section] = e.states.keys();
  // "abcdef": insert "Y" after "b", pushed against the version we have.
  e.states.set(section, e.states.get(section).update({ changes: { from: 2, insert: "Y" } }).state);
  e.push(section);
  await e.settle();
} else {
  await Promise.all(editors.map((e) => randomRun(cfg, e)));
}
out({ done: true });
const { final } = await read();
const texts = await Promise.all(editors.map((e) => e.reach(final)));
out({ texts });
for (const e of editors) e.ws.close();
process.exit(0);
