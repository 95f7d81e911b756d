// Every string the app shows goes through t(). Every language of the
// labs is complete (a test checks it): English, Norwegian, Spanish,
// Swedish, Latvian, Serbian (Latin, and Cyrillic made from it) and
// Slovenian. A key a dictionary lacks would show in English.

import { en, type Dictionary, type MessageKey } from "./locales/en";

export type { MessageKey };

// English is built in (every other language falls back to it); the others
// load when chosen, so nobody downloads six dictionaries to read one.
const loaders: Record<string, () => Promise<Dictionary>> = {
  nb: () => import("./locales/nb").then((m) => m.nb),
  es: () => import("./locales/es").then((m) => m.es),
  sv: () => import("./locales/sv").then((m) => m.sv),
  lv: () => import("./locales/lv").then((m) => m.lv),
  sr: () => import("./locales/sr").then((m) => m.sr),
  // Serbian in Cyrillic is the Latin dictionary, transliterated.
  "sr-Cyrl": () => Promise.all([import("./locales/sr"), import("./locales/cyrillic")]).then(([m, c]) => c.cyrillic(m.sr)),
  sl: () => import("./locales/sl").then((m) => m.sl),
};
const loaded: Record<string, Dictionary> = { en };

/** The languages a person can choose, each named in itself. */
export const languages = [
  { code: "en", name: "English" },
  { code: "nb", name: "Norsk (bokmål)" },
  { code: "es", name: "Español" },
  { code: "sv", name: "Svenska" },
  { code: "lv", name: "Latviešu" },
  { code: "sr", name: "Srpski (latinica)" },
  { code: "sr-Cyrl", name: "Српски (ћирилица)" },
  { code: "sl", name: "Slovenščina" },
] as const;

// Norwegian is often announced as "no" or "nn" by browsers.
const aliases: Record<string, string> = { no: "nb", nn: "nb" };

let current: Dictionary = en;
let currentLocale = "en";
let calls = 0;

/** languageOf is the app language for a BCP 47 tag ("" when the app has
 * none: English is shown). */
function languageOf(tag: string): string {
  if (/^sr-cyrl\b/i.test(tag)) return "sr-Cyrl";
  const base = tag.toLowerCase().split("-")[0];
  const lang = aliases[base] ?? base;
  return lang === "en" || lang in loaders ? lang : "";
}

/** setLocale loads the dictionary for a BCP 47 tag, if not loaded yet, and
 * uses it from then on; a language the app does not have is English. If
 * the dictionary cannot be loaded (offline), English stays and it rejects. */
export async function setLocale(tag: string): Promise<void> {
  const lang = languageOf(tag);
  const call = ++calls;
  if (lang && !loaded[lang]) loaded[lang] = await loaders[lang]();
  if (call !== calls) return; // a later choice was made while this one loaded
  current = loaded[lang] ?? en;
  currentLocale = !lang ? "en" : lang === "sr-Cyrl" || tag.toLowerCase().split("-")[0] === lang ? tag : lang;
}

/** locale is the tag used for dates and numbers. */
export function locale(): string {
  return currentLocale;
}

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? (typeof params[name] === "number" ? formatNumber(params[name] as number) : String(params[name])) : whole,
  );
}

/** t returns the message for key with {name} placeholders filled in;
 * numbers are formatted for the locale. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return fill(current[key] ?? en[key], params);
}

/** translated is the message for a key made at run time (an error's
 * reason), in the current language or English, or undefined when no
 * dictionary has it. */
export function translated(key: string): string | undefined {
  return (current as Record<string, string | undefined>)[key] ?? (en as Record<string, string | undefined>)[key];
}

/** optionLabel names a template's field or option ("option.<name>"); one
 * the dictionaries do not know is shown as fallback, or as its name made
 * readable. */
export function optionLabel(name: string, fallback = ""): string {
  const key = `option.${name}` as MessageKey;
  const known = current[key] ?? (en as Dictionary)[key];
  if (known) return known;
  if (fallback) return fallback;
  const words = name.replace(/^field-/, "").replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** formatDate formats an ISO time for the current locale. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return new Intl.DateTimeFormat(currentLocale, { dateStyle: "medium" }).format(d);
}

/** formatNumber formats a number for the current locale. */
export function formatNumber(n: number): string {
  return new Intl.NumberFormat(currentLocale).format(n);
}

/** plural picks the message for a count by the current language's plural
 * rules (key + ".one", ".few", ".other"...: a dictionary has the forms
 * its language needs), with {n} the formatted count. */
export function plural(key: string, n: number): string {
  const form = new Intl.PluralRules(currentLocale).select(n);
  const message = translated(`${key}.${form}`) ?? t(`${key}.other` as MessageKey);
  return fill(message, { n: formatNumber(n) });
}

/** sectionTitle is a section's title in the person's language when it is
 * still the template's (a section a lab renamed keeps its own words). */
export function sectionTitle(template: string, key: string, title: string): string {
  const base = `tpl.${template.split("@")[0]}.${key}`;
  return (en as Record<string, string>)[base] === title ? (translated(base) ?? title) : title;
}

/** sectionQuestion is a template section's guiding question in the
 * person's language, or the given one. */
export function sectionQuestion(template: string, key: string, guidance: string): string {
  const base = `tpl.${template.split("@")[0]}.${key}.q`;
  return (en as Record<string, string>)[base] === guidance ? (translated(base) ?? guidance) : guidance;
}
