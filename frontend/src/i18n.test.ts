import { afterEach, describe, expect, it } from "vitest";
import { formatNumber, locale, optionLabel, setLocale, t } from "./i18n";
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

  for (const lang of ["nb", "es"]) {
    it(`${lang} is complete, with the same placeholders as English`, () => {
      const d = dictionaries[lang] as Record<string, string>;
      const missing = Object.keys(en).filter((k) => !d[k]);
      expect(missing).toEqual([]);
      for (const [k, v] of Object.entries(en)) expect(placeholders(d[k]), `${lang} ${k}`).toEqual(placeholders(v));
    });
  }

  for (const lang of ["sv", "lv", "sr", "sl"]) {
    it(`${lang} exists, holds only English keys, and falls back to English for the rest`, async () => {
      const d = dictionaries[lang] as Record<string, string>;
      expect(d).toBeDefined();
      for (const [k, v] of Object.entries(d)) {
        expect(k in en, k).toBe(true);
        expect(placeholders(v)).toEqual(placeholders((en as Record<string, string>)[k]));
      }
      await setLocale(lang);
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
