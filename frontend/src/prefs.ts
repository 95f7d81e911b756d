// A person's display preferences: the language of the app and "plain view"
// (larger text, one column, fewer extras). Signed in, they are the
// account's; this device keeps a copy for the pages before signing in.

import type { Preferences } from "./api";
import { locale, setLocale } from "./i18n";

export interface Prefs {
  /** a language code of the app, or "" for the browser's language */
  language: string;
  plain: boolean;
}

const key = "linklab.prefs";

/** loadPrefs reads the saved preferences; anything unreadable is ignored. */
export function loadPrefs(storage: Pick<Storage, "getItem"> | null): Prefs {
  const fallback: Prefs = { language: "", plain: false };
  try {
    const v = JSON.parse(storage?.getItem(key) ?? "null") as Partial<Prefs> | null;
    if (!v || typeof v !== "object") return fallback;
    return {
      language: typeof v.language === "string" && /^[a-z]{2,3}(-[A-Z]{2}|-[A-Z][a-z]{3})?$/.test(v.language) ? v.language : "",
      plain: v.plain === true,
    };
  } catch {
    return fallback;
  }
}

/** fromAccount turns the account's preferences into the app's. */
export function fromAccount(p: Preferences | undefined): Prefs {
  return { language: p?.language ?? "", plain: p?.plainView ?? false };
}

export function savePrefs(storage: Pick<Storage, "setItem"> | null, p: Prefs): void {
  try {
    storage?.setItem(key, JSON.stringify(p));
  } catch {
    // Private browsing may refuse storage: the choice then lasts this visit.
  }
}

/** applyPrefs sets the language (once its dictionary is loaded; English
 * if it cannot be) and the plain view on the page. */
export async function applyPrefs(p: Prefs, browserLanguage: string): Promise<void> {
  document.documentElement.classList.toggle("plain", p.plain);
  try {
    await setLocale(p.language || browserLanguage || "en");
  } finally {
    document.documentElement.lang = locale();
  }
}
