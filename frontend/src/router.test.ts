import { describe, expect, it } from "vitest";
import { match, tokenFromHash } from "./router";
import { setLocale, t } from "./i18n";

describe("router", () => {
  it.each([
    ["/", "labs"],
    ["/labs/", "labs"],
    ["/sign-in", "signIn"],
    ["/setup", "setup"],
    ["/invite", "invite"],
    ["/nowhere", "notFound"],
    ["/labs/06h0den15d9cx3ey8hyjcfgyyr", "lab"],
    ["/documents/06h0den15d9cx3ey8hyjcfgyyr/", "document"],
    ["/documents/not-an-id", "notFound"],
    ["/documents/06h0den15d9cx3ey8hyjcfgyyr/extra", "notFound"],
    ["/labs/06h0den15d9cx3ey8hyjcfgyyr/proposals", "proposals"],
    ["/labs/not-an-id/proposals", "notFound"],
    ["/labs/06h0den15d9cx3ey8hyjcfgyyr/other", "notFound"],
    ["/admin", "admin"],
    ["/compare", "compare"],
    ["/syntheses", "syntheses"],
    ["/themes", "themes"],
    ["/search", "search"],
    ["/compare/x", "notFound"],
    ["/settings", "profile"],
  ])("%s is %s", (path, name) => {
    expect(match(path).name).toBe(name);
  });
  it("accepts only well-formed tokens from the fragment", () => {
    const token = "A".repeat(43);
    expect(tokenFromHash("#" + token)).toBe(token);
    expect(tokenFromHash("#<script>")).toBe("");
    expect(tokenFromHash("")).toBe("");
  });
});

describe("i18n", () => {
  it("fills placeholders and leaves unknown ones visible", async () => {
    await setLocale("en");
    expect(t("labs.country", { country: "NO" })).toBe("Country: NO");
    expect(t("labs.country")).toBe("Country: {country}");
  });
  it("shows English for a language the app does not have", async () => {
    await setLocale("pt-BR");
    expect(t("signIn.title")).toBe("Sign in to LinkLab");
    expect(t("conn.online")).toBe("Online: everything is saved");
    await setLocale("en");
  });
});
