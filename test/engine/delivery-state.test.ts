/** The one-line delivery text every human view shows (table DELIVERY line, session detail). */
import { describe, expect, it } from "vitest";
import { ageText, deliveryText, type DeliveryView } from "../../src/engine/delivery-state.js";

describe("deliveryText", () => {
  it.each<[DeliveryView, string]>([
    [{ state: "delivered", newestKey: "logs/k1", newestAge: "3 h" }, "delivered · newest logs/k1 (3 h old)"],
    [{ state: "stale", newestKey: "logs/k0", newestAge: "4 d" }, "stale · newest logs/k0 (4 d old)"],
    [{ state: "none" }, "none · no log object"],
    [{ state: "pending", pendingReason: "canary younger than 48 h" }, "pending · canary younger than 48 h"],
    [{ state: "proven", canaryRequestId: "R1", canaryFoundIn: "logs/k2", newestKey: "logs/k2", newestAge: "5 min" }, "proven · canary R1 in logs/k2 (5 min old), the newest"],
    [{ state: "proven", canaryRequestId: "R1", canaryFoundIn: "logs/k2", newestKey: "logs/k3", newestAge: "1 h" }, "proven · canary R1 in logs/k2 · newest logs/k3 (1 h old)"],
    [{ state: "error", error: { operation: "ListObjectsV2", code: "AccessDenied" } }, "error (ListObjectsV2 AccessDenied)"],
    [{ state: "delivered", newestKey: "logs/k1", newestAge: "3 h", truncated: true }, "delivered · newest logs/k1 (3 h old) · listing bound reached"],
  ])("%j → %s", (view, text) => {
    expect(deliveryText(view)).toBe(text);
  });

  it("ages: minutes below an hour, hours below two days, then days; a future time is 0 min", () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    expect([ageText(now, "2026-12-01T11:20:00Z"), ageText(now, "2026-11-30T13:00:00Z"), ageText(now, "2026-11-27T12:00:00Z"), ageText(now, "2026-12-01T13:00:00Z")]).toEqual(["40 min", "23 h", "4 d", "0 min"]);
  });
});
