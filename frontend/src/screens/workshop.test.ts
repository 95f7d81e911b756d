import { describe, expect, it } from "vitest";
import type { Workshop } from "../api";
import { match } from "../router";
import { clock, remaining } from "./Workshop";

const base: Workshop = {
  id: "w",
  labId: "l",
  title: "Day one",
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
