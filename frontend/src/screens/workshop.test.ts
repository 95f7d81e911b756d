import { describe, expect, it } from "vitest";
import type { Workshop } from "../api";
import { match, nextPath } from "../router";
import { clock, remaining } from "./Workshop";

const base: Workshop = {
  id: "w",
  labId: "l",
  title: "Day one",
  code: "K7M2QX",
  scheduledAt: "",
  agenda: [{ title: "Ideas", kind: "ideas", minutes: 30, documents: [] }],
  status: "running",
  phase: 0,
  endsAt: "2026-12-01T09:30:00Z",
  leftSeconds: 1800,
  serverTime: "2026-12-01T09:00:00Z",
  revision: 1,
};

describe("the workshop timer", () => {
  it("counts from the server's clock, not the device's", () => {
    // The device's clock is an hour off: only the time since the message
    // arrived counts.
    const arrived = Date.parse("2026-12-01T10:00:00Z");
    expect(remaining(base, arrived, arrived)).toBe(1800);
    expect(remaining(base, arrived, arrived + 61_000)).toBe(1739);
    expect(remaining(base, arrived, arrived + 3_600_000)).toBe(0);
  });
  it("stands still while paused, and shows nothing before the start", () => {
    expect(remaining({ ...base, status: "paused", endsAt: null, leftSeconds: 754 }, 0, 999_999)).toBe(754);
    expect(remaining({ ...base, status: "scheduled", endsAt: null }, 0, 0)).toBe(0);
  });
  it("reads as minutes and seconds", () => {
    expect([clock(0), clock(59), clock(60), clock(754), clock(3725)]).toEqual(["0:00", "0:59", "1:00", "12:34", "1:02:05"]);
  });
  it("has a deep link", () => {
    expect(match("/workshops/06h31h1bbpbq727b215x57kwq8")).toEqual({ name: "workshop", workshop: "06h31h1bbpbq727b215x57kwq8" });
  });
});

describe("a timer read just after its message", () => {
  it("never shows more than the phase's time", () => {
    const arrived = 1_000_000;
    expect(remaining(base, arrived, arrived - 400)).toBe(1800);
  });
});

describe("joining from the projector", () => {
  it("routes a join code and the projector view", () => {
    expect(match("/join/K7M2QX")).toEqual({ name: "join", code: "K7M2QX" });
    expect(match("/join")).toEqual({ name: "join", code: "" });
    expect(match("/join/../../x")).toEqual({ name: "notFound" });
    expect(match("/workshops/06h32qx41qycv3f5sp9gwqrnv4/projector")).toEqual({ name: "projector", workshop: "06h32qx41qycv3f5sp9gwqrnv4" });
  });

  it("goes back where the person was headed after signing in, and nowhere else", () => {
    expect(nextPath("?next=%2Fjoin%2FK7M2QX")).toBe("/join/K7M2QX");
    for (const bad of ["?next=https%3A%2F%2Fevil.example", "?next=%2F%2Fevil.example", "?next=%2F%5Cevil.example", "?next=%2Fnowhere%2Fat%2Fall", ""]) {
      expect(nextPath(bad)).toBe("/labs");
    }
  });
});
