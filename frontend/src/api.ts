// The one client module that talks to the server. It keeps the session's
// CSRF token and sends it on every state-changing request.

export interface Account {
  id: string;
  email: string;
  displayName: string;
  admin: boolean;
  /** Set for a national partner, who co-writes the network's syntheses. */
  partnerOrgId?: string;
}

export interface Session {
  account: Account;
  csrfToken: string;
  memberships: { labId: string; role: string; displayName: string }[];
  /** kept on the account, so they follow the person to any device */
  preferences: Preferences;
}

export interface Preferences {
  /** a language code, or "" for the browser's language */
  language: string;
  plainView: boolean;
}

export interface Lab {
  id: string;
  slug: string;
  country: string;
  title: string;
  targetGroup: "families" | "youths" | "elderly";
  description: string;
  languages: string[];
  myRole?: string;
  updatedAt: string;
}

export type Visibility = "private" | "restricted" | "lab" | "partners" | "network" | "public";

export interface DocumentSummary {
  id: string;
  labId?: string;
  kind: "baseline" | "proposal" | "feedback" | "synthesis" | "notes";
  template: string;
  title: string;
  visibility: Visibility;
  status?: Status;
  /** A proposal's choice fields (several choices comma-separated). */
  fields?: Record<string, string>;
  updatedAt: string;
  /** In a lab's listing, the moves the reader may make on a proposal. */
  can?: { advance: boolean; archive: boolean };
}

/** The lifecycle of a proposal, in order. */
export const statuses = ["draft", "open", "prioritised", "piloting", "evaluated", "archived"] as const;
export type Status = (typeof statuses)[number];

/** canMove mirrors the server's rule: one step forward or back, anything
 * to the archive, and from the archive back to draft. */
export function canMove(from: Status, to: Status): boolean {
  const i = statuses.indexOf(from);
  const j = statuses.indexOf(to);
  if (i < 0 || j < 0 || i === j) return false;
  if (to === "archived") return true;
  if (from === "archived") return to === "draft";
  return Math.abs(i - j) === 1;
}

export interface LogicElement {
  id: string;
  text: string;
  outcomes: string[];
}

export interface Outcome {
  id: string;
  text: string;
  term: "short" | "long";
}

export interface LogicMap {
  elements: LogicElement[];
  outcomes: Outcome[];
}

export interface SectionInfo {
  id: string;
  key: string;
  title: string;
  guidance?: string;
  visibility?: Visibility;
}

export interface DocumentDetail extends DocumentSummary {
  revision: number;
  sections: SectionInfo[];
  members: string[];
  fields: Record<string, string>;
  logicMap: LogicMap;
  /** what the signed-in person may do with it, as the server's policy decides */
  can: DocumentCan;
}

export interface DocumentCan {
  write: boolean;
  advance: boolean;
  /** archive a proposal, or take it out: its author, or a facilitator */
  archive: boolean;
  /** delete it: its author, while it is a private draft */
  delete?: boolean;
  share: boolean;
  comment: boolean;
  feedback: boolean;
  moderate: boolean;
}

export interface Member {
  accountId: string;
  displayName: string;
  role: string;
  stakeholderLevel?: string;
  sector?: string;
}

export interface Invitation {
  id: string;
  email?: string;
  labId?: string;
  role?: string;
  createdAt: string;
  expiresAt: string;
  usedAt?: string;
  /** Only in the answer that created it: the token is in its fragment. */
  link?: string;
}

/** The roles a lab member can have, in the order forms list them. */
export const roles = ["service_user", "frontline_staff", "manager", "policymaker", "facilitator"] as const;

export interface TemplateField {
  key: string;
  title: string;
  /** "choice" takes one option, "choices" any number. */
  type: "choice" | "choices";
  options: string[];
}

export interface Template {
  name: string;
  version: number;
  kind: DocumentSummary["kind"];
  title: string;
  fields: TemplateField[];
}

/** A phase of a workshop's agenda. */
export interface Phase {
  title: string;
  kind: "explore" | "ideas" | "discussion" | "prioritise" | "feedback";
  minutes: number;
  documents: string[];
}

/** Workshop is a live session: its agenda and the shared timer, with the
 * server's clock to count down from. */
export interface Workshop {
  id: string;
  labId: string;
  title: string;
  scheduledAt: string;
  agenda: Phase[];
  status: "scheduled" | "running" | "paused" | "ended";
  phase: number;
  endsAt: string | null;
  leftSeconds: number;
  serverTime: string;
  revision: number;
  code: string;
}

/** A raised hand, in the fair order the server keeps. */
export interface Hand {
  account: string;
  name: string;
  level: string;
  at: string;
  onBehalf?: boolean;
}

export interface Floor {
  account: string;
  name: string;
  since: string;
  override: boolean;
}

/** An idea on the wall; an anonymous one names no author. */
export interface Idea {
  id: string;
  text: string;
  named: boolean;
  author?: string;
  level: string;
  onBehalf?: boolean;
  theme: string;
  hidden?: string;
  draft?: string;
  mine?: boolean;
  at: string;
}

export interface Attendee {
  account: string;
  name: string;
  role: string;
  level: string;
  sector: string;
}

/** Room is a workshop's room as one person sees it. */
export interface Room {
  seq: number;
  present: number;
  queue: Hand[];
  floor: Floor | null;
  ideas: Idea[];
  balanced: boolean;
  me: { account: string; present: boolean; runs: boolean; votes: boolean; name: string; level: string; joinCode: string };
  people?: Attendee[];
}

export interface LevelResult {
  level: string;
  suppressed: boolean;
  voters: number;
  counts: Record<string, number> | null;
}

export interface VoteResults {
  voters: number;
  counts: Record<string, number>;
  levels: LevelResult[];
  weighted: Record<string, number>;
  comments: string[];
}

export interface Vote {
  id: string;
  question: string;
  method: "agree" | "dots";
  options: string[];
  dots: number;
  anonymous: boolean;
  status: "open" | "closed";
  voters: number;
  openedAt: string;
  closedAt: string | null;
  voted?: boolean;
  results: VoteResults | null;
  ballots?: { account: string; name: string; choice?: string; dots?: number[]; comment?: string }[];
}

export interface BalanceGroup {
  key: string;
  present: number;
  turns: number;
  speakingSeconds: number;
  ideas: number;
  comments: number;
  edits: number;
  presentShare: number;
  turnShare: number;
  speakingShare: number;
  anonymousHidden?: boolean;
}

export interface Balance {
  present: number;
  levels: BalanceGroup[];
  sectors: BalanceGroup[];
  roles: BalanceGroup[];
  notHeardNames?: string[];
  notHeardCount: number;
}

export interface Ballot {
  choice?: string;
  dots?: number[];
  comment?: string;
}

/** Reach says who each level lets read a document, for whoever shares it. */
export interface Reach {
  lab: { people: number };
  partners: { organisations: number; countries: number };
  members: { id: string; name: string }[];
}

/** AuditEntry is one line of a lab's activity log. */
export interface AuditEntry {
  id: string;
  actor: string;
  action: string;
  object: string;
  detail: Record<string, string>;
  at: string;
}

/** ModerationAct is one entry of a lab's moderation log: never an item's
 * text or author. */
export interface ModerationAct {
  id: string;
  action: "comment.hide" | "comment.unhide" | "feedback.hide" | "feedback.unhide" | "idea.hide";
  kind: "comment" | "feedback" | "idea";
  item: string;
  by: string;
  reason?: string;
  at: string;
  document: { id: string; title: string } | null;
  workshop: { id: string; title: string } | null;
}

/** Citation is a baseline passage cited in a synthesis, as the reader
 * may see it. */
export interface Citation {
  id: string;
  citedQuote: string;
  citedVersion: number;
  createdAt: string;
  status: "same" | "changed" | "gone" | "hidden";
  sourceId?: string;
  sourceTitle?: string;
  section?: string;
  sectionTitle?: string;
  quote?: string;
  diff?: { op: "=" | "-" | "+"; text: string }[];
}

/** Theme is one of the partner network's themes. */
export interface Theme {
  id: string;
  name: string;
}

/** Tag is a passage tagged with a theme, as it reads now. */
export interface Tag {
  id: string;
  section: string;
  themeId: string;
  theme: string;
  from: number;
  to: number;
  version: number;
  quote: string;
  orphaned: boolean;
  createdAt: string;
}

/** ThemeMatrix is the country × theme matrix over the baselines the
 * reader may read. */
export interface ThemeMatrix {
  themes: Theme[];
  baselines: Baseline[];
  cells: { baseline: string; theme: string; passages: { tag: string; section: string; sectionTitle: string; quote: string }[] }[];
}

/** DocumentVersion is a document frozen under a name. */
export interface DocumentVersion {
  id: string;
  name: string;
  by: string;
  createdAt: string;
}

/** Diff compares two versions (or a version and the current text),
 * section by section: words kept (=), deleted (-) and inserted (+). */
export interface Diff {
  from: string;
  to: string;
  sections: { section: string; key: string; title: string; status: "same" | "changed" | "added" | "removed"; ops: { op: "=" | "-" | "+"; text: string }[] }[];
}

/** SearchKind is what a search result is. */
export type SearchKind = "document" | "section" | "comment" | "idea" | "theme";

/** SearchResult is one thing found, as the reader may see it; never an
 * author. The snippet is plain text in pieces, hit marking found words. */
export interface SearchResult {
  kind: SearchKind;
  id: string;
  title: string;
  document?: string;
  documentId?: string;
  sectionId?: string;
  workshopId?: string;
  labId?: string;
  lab?: string;
  country?: string;
  snippet: { text: string; hit?: boolean }[] | null;
}

/** Found is a page of search results and how many there are. */
export interface Found {
  terms: string[];
  total: number;
  items: SearchResult[];
}

/** Baseline is a country's baseline as the comparison lists it. */
export interface Baseline {
  id: string;
  title: string;
  labId: string;
  country: string;
  /** The lab's title; "" for a reader who may not read the lab. */
  lab: string;
  visibility: string;
  updatedAt: string;
  sections: { key: string; title: string }[];
}

/** Compared is one section of several baselines, rendered by the server. */
export interface Compared {
  section: string;
  title: string;
  items: (Baseline & { section: { id: string; key: string; title: string; version: number; html: string } | null })[];
}

/** What comments and feedback show of their author. */
export interface Authored {
  anonymous: boolean;
  /** the level it is read at: who its writer chose, the lab by default */
  audience: Visibility;
  author: { id: string; name: string } | null;
  mine: boolean;
  /** null when a facilitator hid it (hidden says why). */
  body: string | null;
  hidden: { reason: string; at: string } | null;
}

export interface Feedback extends Authored {
  id: string;
  target: "lab" | "proposal" | "session";
  targetId: string;
  rating: number;
  createdAt: string;
}

export interface Comment extends Authored {
  id: string;
  documentId: string;
  sectionId: string;
  parentId?: string;
  from: number;
  to: number;
  version: number;
  detached?: boolean;
  /** a thread's words as they read now; absent when they are gone */
  quote?: string;
  resolved: boolean;
  createdAt: string;
}

export interface AdminAccount {
  id: string;
  email: string;
  displayName: string;
  admin: boolean;
  disabled: boolean;
  partnerOrgId?: string;
  createdAt: string;
}

export interface PartnerOrg {
  id: string;
  name: string;
  country: string;
}

export interface Page<T> {
  items: T[];
  next: string;
}

export interface InvitationPreview {
  email?: string;
  lab?: Lab;
  role?: string;
  expiresAt: string;
}

/** ApiError carries the server's stable error code and its safe message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** what went wrong, more finely than code, for errors people meet */
    readonly reason = "",
  ) {
    super(message);
  }
}

/** parseError turns an error response body into an ApiError. */
export function parseError(status: number, body: unknown): ApiError {
  const e = (body as { error?: { code?: unknown; message?: unknown; reason?: unknown } } | null)?.error;
  if (e && typeof e.code === "string" && typeof e.message === "string") {
    return new ApiError(status, e.code, e.message, typeof e.reason === "string" ? e.reason : "");
  }
  return new ApiError(status, status >= 500 ? "internal" : "invalid", `The server answered ${status}.`);
}

export class Api {
  private csrf = "";

  constructor(private readonly fetcher: typeof fetch = (...args) => fetch(...args)) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && this.csrf) headers["X-CSRF-Token"] = this.csrf;
    let res: Response;
    try {
      res = await this.fetcher(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch {
      throw new ApiError(0, "network", "");
    }
    if (res.status === 204) return undefined as T;
    const data: unknown = await res.json().catch(() => null);
    if (!res.ok) throw parseError(res.status, data);
    return data as T;
  }

  private remember(s: Session): Session {
    this.csrf = s.csrfToken;
    return s;
  }

  /** session returns the current session, or null when signed out. */
  async session(): Promise<Session | null> {
    try {
      return this.remember(await this.request<Session>("GET", "/api/auth/session"));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  }

  async signIn(email: string, password: string): Promise<Session> {
    return this.remember(await this.request<Session>("POST", "/api/auth/sign-in", { email, password }));
  }

  async signOut(): Promise<void> {
    await this.request<void>("POST", "/api/auth/sign-out");
    this.csrf = "";
  }

  async setup(token: string, email: string, displayName: string, password: string): Promise<Session> {
    return this.remember(
      await this.request<Session>("POST", "/api/auth/setup", { token, email, displayName, password }),
    );
  }

  setPreferences(p: Partial<Preferences>): Promise<Preferences> {
    return this.request<Preferences>("PATCH", "/api/auth/preferences", p);
  }

  previewInvitation(token: string): Promise<InvitationPreview> {
    return this.request<InvitationPreview>("POST", "/api/invitations/preview", { token });
  }

  async acceptInvitation(input: {
    token: string;
    email?: string;
    password?: string;
    displayName?: string;
    stakeholderLevel?: string;
  }): Promise<Session> {
    return this.remember(await this.request<Session>("POST", "/api/invitations/accept", input));
  }

  labs(): Promise<Page<Lab>> {
    return this.request<Page<Lab>>("GET", "/api/labs?limit=200");
  }

  lab(id: string): Promise<Lab> {
    return this.request<Lab>("GET", `/api/labs/${encodeURIComponent(id)}`);
  }

  documents(lab: string): Promise<Page<DocumentSummary>> {
    return this.request<Page<DocumentSummary>>("GET", `/api/labs/${encodeURIComponent(lab)}/documents?limit=200`);
  }

  members(lab: string): Promise<Page<Member>> {
    return this.request<Page<Member>>("GET", `/api/labs/${encodeURIComponent(lab)}/members?limit=200`);
  }

  invitations(lab: string): Promise<Page<Invitation>> {
    return this.request<Page<Invitation>>("GET", `/api/labs/${encodeURIComponent(lab)}/invitations?limit=200`);
  }

  /** invite creates a single-use link; expiresInDays 0 is the longest allowed. */
  invite(lab: string, input: { role: string; email?: string; expiresInDays: number }): Promise<Invitation> {
    return this.request<Invitation>("POST", `/api/labs/${encodeURIComponent(lab)}/invitations`, input);
  }

  revokeInvitation(lab: string, id: string): Promise<void> {
    return this.request<void>("DELETE", `/api/labs/${encodeURIComponent(lab)}/invitations/${encodeURIComponent(id)}`);
  }

  assignRole(lab: string, account: string, role: string): Promise<Member> {
    return this.request<Member>(
      "PUT",
      `/api/labs/${encodeURIComponent(lab)}/members/${encodeURIComponent(account)}/role`,
      { role },
    );
  }

  removeMember(lab: string, account: string): Promise<void> {
    return this.request<void>("DELETE", `/api/labs/${encodeURIComponent(lab)}/members/${encodeURIComponent(account)}`);
  }

  templates(): Promise<{ items: Template[] }> {
    return this.request<{ items: Template[] }>("GET", "/api/templates");
  }

  createDocument(lab: string, template: string, title: string): Promise<DocumentDetail> {
    return this.request<DocumentDetail>("POST", `/api/labs/${encodeURIComponent(lab)}/documents`, { template, title });
  }

  document(id: string): Promise<DocumentDetail> {
    return this.request<DocumentDetail>("GET", `/api/documents/${encodeURIComponent(id)}`);
  }

  /** deleteDocument deletes a private draft (its author only). */
  deleteDocument(id: string): Promise<void> {
    return this.request<void>("DELETE", `/api/documents/${encodeURIComponent(id)}`);
  }

  /** move moves a proposal to another stage of its lifecycle. */
  move(doc: string, status: Status): Promise<DocumentDetail> {
    return this.request<DocumentDetail>("PUT", `/api/documents/${encodeURIComponent(doc)}/status`, { status });
  }

  /** patchDocument changes fields (merged; "" clears one) or replaces the logic map. */
  patchDocument(doc: string, patch: { title?: string; fields?: Record<string, string>; logicMap?: LogicMap }): Promise<DocumentDetail> {
    return this.request<DocumentDetail>("PATCH", `/api/documents/${encodeURIComponent(doc)}`, patch);
  }

  share(doc: string, visibility: Visibility, members: string[] = []): Promise<DocumentDetail> {
    return this.request<DocumentDetail>("PUT", `/api/documents/${encodeURIComponent(doc)}/visibility`, { visibility, members });
  }

  /** setSectionLevel keeps a section to fewer people ("" follows the document). */
  setSectionLevel(doc: string, section: string, visibility: Visibility | ""): Promise<unknown> {
    return this.request<unknown>("PATCH", `/api/documents/${encodeURIComponent(doc)}/sections/${encodeURIComponent(section)}`, { visibility });
  }

  reach(doc: string): Promise<Reach> {
    return this.request<Reach>("GET", `/api/documents/${encodeURIComponent(doc)}/reach`);
  }

  workshops(lab: string): Promise<Page<Workshop>> {
    return this.request<Page<Workshop>>("GET", `/api/labs/${encodeURIComponent(lab)}/workshops?limit=200`);
  }

  workshop(id: string): Promise<Workshop> {
    return this.request<Workshop>("GET", `/api/workshops/${encodeURIComponent(id)}`);
  }

  scheduleWorkshop(lab: string, input: { title: string; agenda: Phase[] }): Promise<Workshop> {
    return this.request<Workshop>("POST", `/api/labs/${encodeURIComponent(lab)}/workshops`, input);
  }

  findWorkshop(code: string): Promise<{ workshop: string; lab: string }> {
    return this.request("GET", `/api/join/${encodeURIComponent(code)}`);
  }

  room(id: string): Promise<Room> {
    return this.request<Room>("GET", `/api/workshops/${encodeURIComponent(id)}/room`);
  }

  joinRoom(id: string): Promise<void> {
    return this.request<void>("POST", `/api/workshops/${encodeURIComponent(id)}/join`);
  }

  raiseHand(id: string, raised: boolean): Promise<void> {
    return this.request<void>("POST", `/api/workshops/${encodeURIComponent(id)}/hand`, { raised });
  }

  giveFloor(id: string, account: string, head: string): Promise<void> {
    return this.request<void>("POST", `/api/workshops/${encodeURIComponent(id)}/floor`, { action: "give", account, head });
  }

  returnFloor(id: string): Promise<void> {
    return this.request<void>("POST", `/api/workshops/${encodeURIComponent(id)}/floor`, { action: "return" });
  }

  balanceQueue(id: string, balanced: boolean): Promise<void> {
    return this.request<void>("POST", `/api/workshops/${encodeURIComponent(id)}/balance`, { balanced });
  }

  balance(id: string): Promise<Balance> {
    return this.request<Balance>("GET", `/api/workshops/${encodeURIComponent(id)}/balance`);
  }

  postIdea(id: string, text: string, named: boolean): Promise<Idea> {
    return this.request<Idea>("POST", `/api/workshops/${encodeURIComponent(id)}/ideas`, { text, named });
  }

  moderateIdea(id: string, idea: string, change: { theme: string } | { reason: string }): Promise<Idea> {
    return this.request<Idea>("PATCH", `/api/workshops/${encodeURIComponent(id)}/ideas/${encodeURIComponent(idea)}`, change);
  }

  draftFromIdea(id: string, idea: string): Promise<{ document: string; title: string }> {
    return this.request("POST", `/api/workshops/${encodeURIComponent(id)}/ideas/${encodeURIComponent(idea)}/draft`);
  }

  onBehalf(id: string, input: { account: string; act: "join" | "hand" | "idea" | "vote"; raised?: boolean; text?: string; vote?: string } & Ballot): Promise<unknown> {
    return this.request("POST", `/api/workshops/${encodeURIComponent(id)}/on-behalf`, input);
  }

  votes(id: string): Promise<{ items: Vote[] }> {
    return this.request("GET", `/api/workshops/${encodeURIComponent(id)}/votes`);
  }

  openVote(id: string, input: { question: string; method: Vote["method"]; options?: string[]; dots?: number; anonymous: boolean }): Promise<Vote> {
    return this.request<Vote>("POST", `/api/workshops/${encodeURIComponent(id)}/votes`, input);
  }

  castBallot(id: string, vote: string, ballot: Ballot): Promise<Vote> {
    return this.request<Vote>("POST", `/api/workshops/${encodeURIComponent(id)}/votes/${encodeURIComponent(vote)}/ballot`, ballot);
  }

  closeVote(id: string, vote: string): Promise<Vote> {
    return this.request<Vote>("POST", `/api/workshops/${encodeURIComponent(id)}/votes/${encodeURIComponent(vote)}/close`);
  }

  anonymiseVote(id: string, vote: string): Promise<Vote> {
    return this.request<Vote>("POST", `/api/workshops/${encodeURIComponent(id)}/votes/${encodeURIComponent(vote)}/anonymise`);
  }

  controlWorkshop(id: string, action: string, minutes?: number): Promise<Workshop> {
    return this.request<Workshop>("POST", `/api/workshops/${encodeURIComponent(id)}/control`, { action, ...(minutes ? { minutes } : {}) });
  }

  audit(lab: string): Promise<Page<AuditEntry>> {
    return this.request<Page<AuditEntry>>("GET", `/api/labs/${encodeURIComponent(lab)}/audit?limit=200`);
  }

  syntheses(): Promise<Page<DocumentSummary>> {
    return this.request<Page<DocumentSummary>>("GET", "/api/network/documents?limit=200");
  }

  createSynthesis(title: string): Promise<DocumentDetail> {
    return this.request<DocumentDetail>("POST", "/api/network/documents", { title });
  }

  citations(doc: string): Promise<{ items: Citation[] }> {
    return this.request<{ items: Citation[] }>("GET", `/api/documents/${encodeURIComponent(doc)}/citations`);
  }

  cite(synthesis: string, c: { sourceId: string; sectionId: string; from: number; to: number; version: number }): Promise<Citation> {
    return this.request<Citation>("POST", `/api/documents/${encodeURIComponent(synthesis)}/citations`, c);
  }

  deleteCitation(doc: string, id: string): Promise<void> {
    return this.request<void>("DELETE", `/api/documents/${encodeURIComponent(doc)}/citations/${encodeURIComponent(id)}`);
  }

  themes(): Promise<{ items: Theme[] }> {
    return this.request<{ items: Theme[] }>("GET", "/api/themes");
  }

  createTheme(name: string): Promise<Theme> {
    return this.request<Theme>("POST", "/api/themes", { name });
  }

  themeMatrix(): Promise<ThemeMatrix> {
    return this.request<ThemeMatrix>("GET", "/api/themes/matrix");
  }

  tags(doc: string): Promise<{ items: Tag[] }> {
    return this.request<{ items: Tag[] }>("GET", `/api/documents/${encodeURIComponent(doc)}/tags`);
  }

  createTag(doc: string, tag: { sectionId: string; themeId: string; from: number; to: number; version: number }): Promise<Tag> {
    return this.request<Tag>("POST", `/api/documents/${encodeURIComponent(doc)}/tags`, tag);
  }

  deleteTag(doc: string, tag: string): Promise<void> {
    return this.request<void>("DELETE", `/api/documents/${encodeURIComponent(doc)}/tags/${encodeURIComponent(tag)}`);
  }

  versions(doc: string): Promise<{ items: DocumentVersion[] }> {
    return this.request<{ items: DocumentVersion[] }>("GET", `/api/documents/${encodeURIComponent(doc)}/versions`);
  }

  freezeVersion(doc: string, name: string): Promise<DocumentVersion> {
    return this.request<DocumentVersion>("POST", `/api/documents/${encodeURIComponent(doc)}/versions`, { name });
  }

  diff(doc: string, from: string, to: string): Promise<Diff> {
    const q = new URLSearchParams({ from, to });
    return this.request<Diff>("GET", `/api/documents/${encodeURIComponent(doc)}/diff?${q}`);
  }

  search(q: string, opts: { kind?: SearchKind | ""; offset?: number; limit?: number } = {}): Promise<Found> {
    const p = new URLSearchParams({ q });
    if (opts.kind) p.set("kind", opts.kind);
    if (opts.offset) p.set("offset", String(opts.offset));
    if (opts.limit) p.set("limit", String(opts.limit));
    return this.request<Found>("GET", `/api/search?${p}`);
  }

  baselines(): Promise<{ items: Baseline[] }> {
    return this.request<{ items: Baseline[] }>("GET", "/api/baselines");
  }

  compare(section: string, docs: string[]): Promise<Compared> {
    const q = new URLSearchParams({ section });
    if (docs.length) q.set("docs", docs.join(","));
    return this.request<Compared>("GET", `/api/baselines/compare?${q}`);
  }

  /** moderation reads the lab's whole moderation log, oldest first (a
   * few pages at most: moderation is rare). */
  async moderation(lab: string, pages = 10): Promise<ModerationAct[]> {
    const out: ModerationAct[] = [];
    let after = "";
    for (let i = 0; i < pages; i++) {
      const q = new URLSearchParams({ limit: "200", after });
      const p = await this.request<Page<ModerationAct>>("GET", `/api/labs/${encodeURIComponent(lab)}/moderation?${q}`);
      out.push(...p.items);
      if (!p.next) break;
      after = p.next;
    }
    return out;
  }

  feedback(lab: string, target: "lab" | "proposal", targetId = ""): Promise<Page<Feedback>> {
    const q = new URLSearchParams({ target, limit: "200" });
    if (targetId) q.set("targetId", targetId);
    return this.request<Page<Feedback>>("GET", `/api/labs/${encodeURIComponent(lab)}/feedback?${q}`);
  }

  giveFeedback(
    lab: string,
    input: { target: "lab" | "proposal"; targetId?: string; rating: number; body: string; anonymous: boolean; audience?: Visibility },
  ): Promise<Feedback> {
    return this.request<Feedback>("POST", `/api/labs/${encodeURIComponent(lab)}/feedback`, input);
  }

  comments(doc: string): Promise<Page<Comment>> {
    return this.request<Page<Comment>>("GET", `/api/documents/${encodeURIComponent(doc)}/comments?limit=200`);
  }

  comment(
    doc: string,
    input: {
      sectionId: string;
      parentId?: string;
      body: string;
      from: number;
      to: number;
      version: number;
      anonymous: boolean;
      audience?: Visibility;
    },
  ): Promise<Comment> {
    return this.request<Comment>("POST", `/api/documents/${encodeURIComponent(doc)}/comments`, input);
  }

  resolveComment(id: string, resolved: boolean): Promise<Comment> {
    return this.request<Comment>("PUT", `/api/comments/${encodeURIComponent(id)}/resolved`, { resolved });
  }

  /** hide hides a comment or feedback with a reason (facilitators); null shows it again. */
  hide<T extends Comment | Feedback>(kind: "comments" | "feedback", id: string, reason: string | null): Promise<T> {
    const path = `/api/${kind}/${encodeURIComponent(id)}/hidden`;
    return reason === null ? this.request<T>("DELETE", path) : this.request<T>("PUT", path, { reason });
  }

  /** accounts pages through the accounts, those matching q when given. */
  accounts(q = "", after = "", limit = 25): Promise<Page<AdminAccount>> {
    const p = new URLSearchParams({ limit: String(limit) });
    if (q) p.set("q", q);
    if (after) p.set("after", after);
    return this.request<Page<AdminAccount>>("GET", `/api/admin/accounts?${p}`);
  }

  createAccount(input: { email: string; displayName: string; password: string; admin: boolean }): Promise<AdminAccount> {
    return this.request<AdminAccount>("POST", "/api/admin/accounts", input);
  }

  updateAccount(id: string, patch: { disabled?: boolean; admin?: boolean; partnerOrgId?: string }): Promise<AdminAccount> {
    return this.request<AdminAccount>("PATCH", `/api/admin/accounts/${encodeURIComponent(id)}`, patch);
  }

  partnerOrgs(): Promise<Page<PartnerOrg>> {
    return this.request<Page<PartnerOrg>>("GET", "/api/admin/partner-orgs?limit=200");
  }

  createPartnerOrg(input: { name: string; country: string }): Promise<PartnerOrg> {
    return this.request<PartnerOrg>("POST", "/api/admin/partner-orgs", input);
  }

  createLab(input: { slug: string; country: string; title: string; targetGroup: Lab["targetGroup"]; languages: string[] }): Promise<Lab> {
    return this.request<Lab>("POST", "/api/labs", input);
  }

  /** preview renders Markdown on the server; the HTML comes back sanitized. */
  async preview(text: string): Promise<string> {
    return (await this.request<{ html: string }>("POST", "/api/preview", { text })).html;
  }
}
