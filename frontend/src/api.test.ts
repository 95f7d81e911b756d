import { describe, expect, it } from "vitest";
import { Api, ApiError, parseError } from "./api";

function fakeFetch(responses: { status: number; body?: unknown }[], calls: { url: string; init: RequestInit }[]) {
  return (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const r = responses.shift()!;
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status });
  }) as unknown as typeof fetch;
}

describe("parseError", () => {
  it("keeps the server's code and message", () => {
    const e = parseError(403, { error: { code: "forbidden", message: "No." } });
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message]).toEqual([403, "forbidden", "No."]);
  });
  it("copes with bodies that are not our error shape", () => {
    expect(parseError(502, "<html>").code).toBe("internal");
    expect(parseError(400, null).code).toBe("invalid");
  });
});

describe("Api", () => {
  it("sends the session's CSRF token on state changes only", async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const session = { account: { id: "a", email: "e", displayName: "d", admin: false }, csrfToken: "tok", memberships: [] };
    const api = new Api(fakeFetch([{ status: 200, body: session }, { status: 200, body: { items: [], next: "" } }, { status: 204 }], calls));
    await api.signIn("e@example.org", "pw");
    await api.labs();
    await api.signOut();
    const headers = calls.map((c) => (c.init.headers as Record<string, string>)["X-CSRF-Token"]);
    expect(headers).toEqual([undefined, undefined, "tok"]);
  });
  it("treats 401 on the session as signed out and other errors as errors", async () => {
    const api = new Api(fakeFetch([{ status: 401, body: { error: { code: "unauthenticated", message: "Sign in." } } }, { status: 500, body: {} }], []));
    expect(await api.session()).toBeNull();
    await expect(api.session()).rejects.toMatchObject({ status: 500 });
  });
  it("reports a network failure with its own code", async () => {
    const api = new Api((async () => {
      throw new TypeError("offline");
    }) as unknown as typeof fetch);
    await expect(api.labs()).rejects.toMatchObject({ code: "network" });
  });
});
