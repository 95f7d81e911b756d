import { afterEach, describe, expect, it } from "vitest";
import { formatNumber, locale, optionLabel, plural, sectionQuestion, sectionTitle, setLocale, t } from "./i18n";
import { cyrillic, toCyrillic } from "./locales/cyrillic";
import { en, type Dictionary } from "./locales/en";
import { es } from "./locales/es";
import { lv } from "./locales/lv";
import { nb } from "./locales/nb";
import { sl } from "./locales/sl";
import { sr } from "./locales/sr";
import { sv } from "./locales/sv";

const dictionaries: Record<string, Dictionary> = { en, nb, es, sv, lv, sr, sl };

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("dictionaries", () => {
  afterEach(async () => setLocale("en"));

  // A key of a dictionary: an English one, or another plural form of a
  // counted English message.
  const englishOf = (k: string) => (k in en ? k : k.replace(/\.(zero|two|few|many)$/, ".other"));

  for (const lang of ["nb", "es", "sv", "lv", "sr", "sl"]) {
    it(`${lang} is complete, with the same placeholders as English`, () => {
      const d = dictionaries[lang] as Record<string, string>;
      const missing = Object.keys(en).filter((k) => !d[k]);
      expect(missing).toEqual([]);
      for (const [k, v] of Object.entries(d)) {
        expect(englishOf(k) in en, `${lang} ${k}`).toBe(true);
        expect(placeholders(v), `${lang} ${k}`).toEqual(placeholders((en as Record<string, string>)[englishOf(k)]));
      }
    });
  }

  it("Serbian in Cyrillic is the Latin dictionary transliterated, placeholders and names kept", () => {
    expect(toCyrillic("Ljudi, njive i džep: {name} u LinkLab, PDF")).toBe("Људи, њиве и џеп: {name} у LinkLab, PDF");
    const c = cyrillic(sr) as Record<string, string>;
    expect(Object.keys(c).sort()).toEqual(Object.keys(sr).sort());
    for (const [k, v] of Object.entries(c)) {
      expect(placeholders(v), k).toEqual(placeholders((sr as Record<string, string>)[k]));
      // No Serbian Latin letter is left outside what is kept as it is.
      const words = v.replace(/\{\w+\}|LinkLab|Markdown|PDF|HTML|CSV|QR|K7M2QX|norway-families|\bnb en\b|\b[A-Z]{2}\b/g, "");
      expect(words, k).not.toMatch(/[a-zčćđšž]/i);
    }
  });

  it("counts in each language's plural forms", async () => {
    await setLocale("sr");
    expect(plural("share.people", 1)).toBe("1 osoba");
    expect(plural("share.people", 3)).toBe("3 osobe");
    expect(plural("share.people", 5)).toBe("5 osoba");
    await setLocale("lv");
    expect(plural("share.countries", 1)).toBe("1 valsts");
    expect(plural("share.countries", 10)).toBe("10 valstu");
    expect(plural("share.countries", 3)).toBe("3 valstis");
    await setLocale("sr-Cyrl");
    expect(locale()).toBe("sr-Cyrl");
    expect(plural("share.countries", 3)).toBe("3 земље");
  });

  it("shows the templates' sections in the person's language, a renamed one as it was named", async () => {
    // The tests run in Node: the templates are read as the server has them.
    const fs = (await import(/* @vite-ignore */ `node:${"fs"}`)) as { readFileSync(p: URL, encoding: string): string };
    type Tpl = { title: string; sections: { key: string; title: string; guidance: string }[] };
    const read = (name: string) => JSON.parse(fs.readFileSync(new URL(`../../content/templates/${name}.json`, import.meta.url), "utf8")) as Tpl;
    const e = en as Record<string, string>;
    // English is the templates themselves, every title and question.
    for (const name of ["baseline", "proposal", "synthesis", "notes"]) {
      const tpl = read(name);
      expect(e[`tpl.${name}.title`]).toBe(tpl.title);
      for (const s of tpl.sections) {
        expect(e[`tpl.${name}.${s.key}`]).toBe(s.title);
        expect(e[`tpl.${name}.${s.key}.q`]).toBe(s.guidance);
      }
    }
    const baseline = read("baseline");
    await setLocale("lv");
    expect(sectionTitle("baseline@1", "welfare-model", "Welfare model")).toBe("Labklājības modelis");
    expect(sectionQuestion("baseline@1", "conclusions", baseline.sections[15].guidance)).toBe(lv["tpl.baseline.conclusions.q"]);
    expect(sectionTitle("baseline@1", "welfare-model", "Our welfare model")).toBe("Our welfare model");
    expect(sectionTitle("notes@1", "notes", "Notes")).toBe("Piezīmes");
    expect(sectionTitle("unknown@1", "notes", "Notes")).toBe("Notes");
  });

  it("no language leaves a string empty", () => {
    for (const [lang, d] of Object.entries(dictionaries)) {
      for (const [k, v] of Object.entries(d)) expect(v.trim(), `${lang} ${k}`).not.toBe("");
    }
  });
});

describe("t and formatting", () => {
  afterEach(async () => setLocale("en"));

  it("fills placeholders and formats numbers for the locale", async () => {
    await setLocale("nb-NO");
    expect(locale()).toBe("nb-NO");
    expect(t("board.count", { n: 1200, total: 3400 })).toBe(`${formatNumber(1200)} av ${formatNumber(3400)} forslag vises`);
    expect(formatNumber(1200)).not.toBe("1200"); // Norwegian groups thousands
    await setLocale("en-GB");
    expect(t("board.count", { n: 1200, total: 3400 })).toBe("1,200 of 3,400 proposals shown");
  });

  it("maps Norwegian tags to bokmål and unknown languages to English", async () => {
    await setLocale("no");
    expect(t("nav.signOut")).toBe("Logg ut");
    await setLocale("nn-NO");
    expect(t("nav.signOut")).toBe("Logg ut");
    await setLocale("fi-FI");
    expect(locale()).toBe("en");
    expect(t("nav.signOut")).toBe("Sign out");
  });

  it("keeps the last choice when an earlier one finishes loading later", async () => {
    const first = setLocale("es");
    const second = setLocale("en");
    await Promise.all([first, second]);
    expect(t("nav.signOut")).toBe("Sign out");
    expect(locale()).toBe("en");
  });

  it("names template options, and makes unknown ones readable", async () => {
    await setLocale("es");
    expect(optionLabel("pilot-ongoing")).toBe("Piloto en curso");
    expect(optionLabel("brand-new-option")).toBe("Brand new option");
    expect(optionLabel("field-unknown", "From the template")).toBe("From the template");
  });
});

describe("counts", () => {
  afterEach(async () => setLocale("en"));
  it("says one change and several changes, and no count when nothing waits", async () => {
    const { statusText } = await import("./screens/status");
    expect(statusText("online", 1)).toBe("Online: saving 1 change…");
    expect(statusText("online", 3)).toBe("Online: saving 3 changes…");
    expect(statusText("online", 0)).toBe("Online: everything is saved");
    expect(statusText("reconnecting", 0)).toBe("Reconnecting…");
    expect(statusText("offline", 1)).toMatch(/^Offline: 1 change not sent yet\./);
    await setLocale("nb");
    expect(statusText("online", 1)).toBe("Tilkoblet: lagrer 1 endring…");
  });
});
