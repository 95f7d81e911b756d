// The one client module that talks to the server. It keeps the session's
// CSRF token and sends it on every state-changing request.

export interface Account {
  id: string;
  email: string;
  displayName: string;
  admin: boolean;
}

export interface Session {
  account: Account;
  csrfToken: string;
  memberships: { labId: string; role: string; displayName: string }[];
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
  status?: string;
  updatedAt: string;
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
}

export interface Member {
  accountId: string;
  displayName: string;
  role: string;
  stakeholderLevel?: string;
  sector?: string;
}

export interface Template {
  name: string;
  kind: DocumentSummary["kind"];
  title: string;
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
  ) {
    super(message);
  }
}

/** parseError turns an error response body into an ApiError. */
export function parseError(status: number, body: unknown): ApiError {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (e && typeof e.code === "string" && typeof e.message === "string") {
    return new ApiError(status, e.code, e.message);
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

  templates(): Promise<{ items: Template[] }> {
    return this.request<{ items: Template[] }>("GET", "/api/templates");
  }

  createDocument(lab: string, template: string, title: string): Promise<DocumentDetail> {
    return this.request<DocumentDetail>("POST", `/api/labs/${encodeURIComponent(lab)}/documents`, { template, title });
  }

  document(id: string): Promise<DocumentDetail> {
    return this.request<DocumentDetail>("GET", `/api/documents/${encodeURIComponent(id)}`);
  }

  /** preview renders Markdown on the server; the HTML comes back sanitized. */
  async preview(text: string): Promise<string> {
    return (await this.request<{ html: string }>("POST", "/api/preview", { text })).html;
  }
}
