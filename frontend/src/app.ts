import type { Api, Session } from "./api";
import { ApiError } from "./api";
import type { Connection } from "./collab/connection";
import { t } from "./i18n";
import type { Prefs } from "./prefs";

/** App is what every screen gets: the API client, the session, and navigation. */
export interface App {
  api: Api;
  session: Session | null;
  setSession(s: Session | null): void;
  navigate(path: string): void;
  /** realtime is the tab's one real-time connection, opened on first use. */
  realtime(): Connection;
  /** prefs are the person's language and plain view: their account's
   * once signed in, else this device's. */
  prefs: Prefs;
  /** setPrefs applies p at once and keeps it on this device and, signed
   * in, on the account; it settles when the account has it. */
  setPrefs(p: Prefs): Promise<void>;
}

/** messageOf returns the text to show a person for a failed request. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === "network") return t("error.network");
    return e.message || t("error.generic");
  }
  return t("error.generic");
}
