import { afterEach, describe, expect, it } from "vitest";
import { dictionaries, formatNumber, locale, optionLabel, setLocale, t } from "./i18n";
import { en } from "./locales/en";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("dictionaries", () => {
  afterEach(() => setLocale("en"));

  for (const lang of ["nb", "es"]) {
    it(`${lang} is complete, with the same placeholders as English`, () => {
      const d = dictionaries[lang] as Record<string, string>;
      const missing = Object.keys(en).filter((k) => !d[k]);
      expect(missing).toEqual([]);
      for (const [k, v] of Object.entries(en)) expect(placeholders(d[k]), `${lang} ${k}`).toEqual(placeholders(v));
    });
  }

  for (const lang of ["sv", "lv", "sr", "sl"]) {
    it(`${lang} exists, holds only English keys, and falls back to English for the rest`, () => {
      const d = dictionaries[lang] as Record<string, string>;
      expect(d).toBeDefined();
      for (const [k, v] of Object.entries(d)) {
        expect(k in en, k).toBe(true);
        expect(placeholders(v)).toEqual(placeholders((en as Record<string, string>)[k]));
      }
      setLocale(lang);
      expect(t("conn.online")).toBe(d["conn.online"] ?? en["conn.online"]);
      expect(t("nav.signOut")).toBe(d["nav.signOut"] ?? en["nav.signOut"]);
    });
  }

  it("no language leaves a string empty", () => {
    for (const [lang, d] of Object.entries(dictionaries)) {
      for (const [k, v] of Object.entries(d)) expect(v.trim(), `${lang} ${k}`).not.toBe("");
    }
  });
});

describe("t and formatting", () => {
  afterEach(() => setLocale("en"));

  it("fills placeholders and formats numbers for the locale", () => {
    setLocale("nb-NO");
    expect(locale()).toBe("nb-NO");
    expect(t("board.count", { n: 1200, total: 3400 })).toBe(`${formatNumber(1200)} av ${formatNumber(3400)} forslag vises`);
    expect(formatNumber(1200)).not.toBe("1200"); // Norwegian groups thousands
    setLocale("en-GB");
    expect(t("board.count", { n: 1200, total: 3400 })).toBe("1,200 of 3,400 proposals shown");
  });

  it("maps Norwegian tags to bokmål and unknown languages to English", () => {
    setLocale("no");
    expect(t("nav.signOut")).toBe("Logg ut");
    setLocale("nn-NO");
    expect(t("nav.signOut")).toBe("Logg ut");
    setLocale("fi-FI");
    expect(locale()).toBe("en");
    expect(t("nav.signOut")).toBe("Sign out");
  });

  it("names template options, and makes unknown ones readable", () => {
    setLocale("es");
    expect(optionLabel("pilot-ongoing")).toBe("Piloto en curso");
    expect(optionLabel("brand-new-option")).toBe("Brand new option");
    expect(optionLabel("field-unknown", "From the template")).toBe("From the template");
  });
});
