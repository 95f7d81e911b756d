// One websocket per tab, shared by every open document, that comes back by
// itself: the real-time protocol of docs/protocol.md. Messages are handed
// to the document that subscribed; the documents resubscribe (with the
// versions they have) whenever the connection is back.

export type Message = { type: string; [key: string]: unknown };

/** ConnState is what the person is shown about the connection. */
export type ConnState = "connecting" | "online" | "reconnecting" | "offline";

/** Listener receives the messages about one document, in order. */
export interface DocListener {
  /** connected is called on every (re)connection: subscribe again. */
  connected(): void;
  message(m: Message): void;
}

/** SocketLike is the part of WebSocket the connection uses. */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
}

export interface ConnectionOptions {
  url: string;
  open?: (url: string) => SocketLike;
  /** setTimeout and clearTimeout, replaceable for tests. */
  timers?: { set(fn: () => void, ms: number): unknown; clear(handle: unknown): void };
  /** network tells when the device loses and regains its network (the
   * window's offline and online events); optional. */
  network?: { on(event: "offline" | "online", fn: () => void): () => void };
}

/** backoff is the wait before reconnect attempt n (from 0): quick at
 * first, then at most 8 s, so a room whose Wi-Fi comes back is online
 * again within seconds without every phone hammering the server. */
export function backoff(n: number): number {
  return Math.min(8000, 250 * 2 ** n);
}

/** After this many failed attempts in a row the state reads "offline". */
const offlineAfter = 3;

export class Connection {
  private socket: SocketLike | null = null;
  private docs = new Map<string, DocListener>();
  private stateListeners = new Set<(s: ConnState) => void>();
  private attempts = 0;
  private timer: unknown = null;
  private closed = false;
  private nextID = 1;
  state: ConnState = "connecting";

  private unwatch: (() => void)[] = [];

  constructor(private readonly opts: ConnectionOptions) {
    // A phone that loses its Wi-Fi says so at once: show it and stop
    // writing into a socket that may take many seconds to notice; when the
    // network is back, try at once instead of waiting out the backoff.
    const net = opts.network;
    if (net) {
      this.unwatch.push(
        net.on("offline", () => {
          this.attempts = offlineAfter;
          this.abandon();
        }),
        net.on("online", () => {
          if (this.timer === null || this.closed) return;
          this.timers().clear(this.timer);
          this.attempts = 0;
          this.connect();
        }),
      );
    }
    this.connect();
  }

  /** id returns a fresh request id. */
  id(): number {
    return this.nextID++;
  }

  onState(fn: (s: ConnState) => void): () => void {
    this.stateListeners.add(fn);
    fn(this.state);
    return () => this.stateListeners.delete(fn);
  }

  /** attach routes the messages about doc to l; it is told at once if the
   * connection is already open. */
  attach(doc: string, l: DocListener): () => void {
    this.docs.set(doc, l);
    if (this.state === "online") l.connected();
    return () => {
      if (this.docs.get(doc) === l) this.docs.delete(doc);
    };
  }

  /** send sends m if the connection is open and reports whether it did;
   * callers keep what was not sent and send it after reconnecting. */
  send(m: Message): boolean {
    if (!this.socket || this.socket.readyState !== 1) return false;
    this.socket.send(JSON.stringify(m));
    return true;
  }

  close(): void {
    this.closed = true;
    for (const u of this.unwatch) u();
    if (this.timer !== null) this.timers().clear(this.timer);
    this.socket?.close();
  }

  /** abandon gives up on the current socket without waiting for its
   * closing handshake (which a lost network never completes). */
  private abandon(): void {
    const s = this.socket;
    if (!s) return;
    this.socket = null;
    s.close();
    if (!this.closed) this.retry();
  }

  private timers() {
    return this.opts.timers ?? { set: (fn: () => void, ms: number) => setTimeout(fn, ms), clear: (h: unknown) => clearTimeout(h as number) };
  }

  private setState(s: ConnState): void {
    if (s === this.state) return;
    this.state = s;
    for (const fn of this.stateListeners) fn(s);
  }

  private connect(): void {
    this.timer = null;
    const open = this.opts.open ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    let socket: SocketLike;
    try {
      socket = open(this.opts.url);
    } catch {
      this.retry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.attempts = 0;
      this.setState("online");
      for (const l of [...this.docs.values()]) l.connected();
    };
    socket.onmessage = (ev) => {
      if (socket !== this.socket) return;
      // The server may put several messages in one frame, one per line.
      for (const line of String(ev.data).split("\n")) {
        if (!line) continue;
        let m: Message;
        try {
          m = JSON.parse(line) as Message;
        } catch {
          continue;
        }
        this.route(m);
      }
    };
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.socket = null;
      if (!this.closed) this.retry();
    };
    socket.onerror = () => {
      /* onclose follows */
    };
  }

  private retry(): void {
    this.setState(this.attempts >= offlineAfter ? "offline" : "reconnecting");
    this.timer = this.timers().set(() => this.connect(), backoff(this.attempts));
    this.attempts++;
  }

  private route(m: Message): void {
    const doc = typeof m.doc === "string" ? m.doc : undefined;
    if (doc !== undefined) {
      this.docs.get(doc)?.message(m);
      return;
    }
    // Updates, pushed answers and errors name a section, not a document:
    // every document sees them and keeps those of its own sections.
    for (const l of this.docs.values()) l.message(m);
  }
}

/** windowNetwork reports the browser's offline and online events. */
export const windowNetwork = {
  on(event: "offline" | "online", fn: () => void): () => void {
    window.addEventListener(event, fn);
    return () => window.removeEventListener(event, fn);
  },
};

/** wsURL is the websocket address of this site's real-time endpoint. */
export function wsURL(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === "https:" ? "wss:" : "ws:"}//${loc.host}/api/ws`;
}
