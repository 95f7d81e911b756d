import type { Api, Session } from "./api";
import { ApiError } from "./api";
import type { Connection } from "./collab/connection";
import { locale, t, translated } from "./i18n";
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

/** messageOf returns the text to show a person for a failed request, in
 * their language: the app's words for the error's reason; else, in
 * English, the server's message; else the app's words for the error's code
 * with the server's (English) message after them, as it says what to do. */
export function messageOf(e: unknown): string {
  if (!(e instanceof ApiError)) return t("error.generic");
  if (e.code === "network") return t("error.network");
  return errorWords(e.code, e.reason, e.message);
}

/** errorWords words an error the server sent (over HTTP or the real-time
 * connection) in the person's language. */
export function errorWords(code: string, reason: string, message: string): string {
  const worded = reason ? translated(`error.reason.${reason}`) : undefined;
  if (worded) return worded;
  if (locale() === "en" || !message) return message || t("error.generic");
  const general = translated(`error.code.${code}`) ?? t("error.generic");
  return `${general} (${message})`;
}
