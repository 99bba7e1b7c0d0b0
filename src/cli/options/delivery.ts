/**
 * The delivery-check flag group — --check-delivery, --delivery-window, --since-snapshot (the
 * opt-in rule logs-delivered): declared on commander and validated by zod here, once. Part of the
 * target flags of scan, demo and fix (./target.ts declares them in its help order).
 */
import type { Command } from "@commander-js/extra-typings";
import { z } from "zod";
import type { ScanOptions } from "../../app/options.js";
import { fileName, flag, hoursOrDays } from "./values.js";

type AnyCommand = Command<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The window of --delivery-window when not given, in hours. */
export const DEFAULT_DELIVERY_WINDOW_HOURS = 48;

/** The delivery flags and their help, in help order. */
const DELIVERY_FLAGS: readonly (readonly [string, string])[] = [
  ["--check-delivery", "also check that log objects actually arrive (opt-in rule logs-delivered; lists log buckets)"],
  ["--delivery-window <duration>", "with --check-delivery: how recent the newest log object must be (e.g. 48h, 2d; default 48h)"],
  ["--since-snapshot <file>", "with --check-delivery: an earlier run's snapshot; its canary requests prove delivery"],
];

/** Declares --check-delivery, --delivery-window, --since-snapshot. */
export function addDeliveryFlags<C extends AnyCommand>(cmd: C): C {
  for (const [flags, help] of DELIVERY_FLAGS) cmd.option(flags, help);
  return cmd;
}

/** The zod shape of the delivery flags. */
export const deliveryShape = {
  checkDelivery: flag,
  deliveryWindow: hoursOrDays.optional(),
  sinceSnapshot: fileName.optional(),
};

type DeliveryValues = { checkDelivery: boolean; deliveryWindow?: number | undefined; sinceSnapshot?: string | undefined; fromSnapshot?: string | undefined };

/** Cross-flag rules: the window and the snapshot need --check-delivery; the canary needs a live scan. */
export function checkDelivery(v: DeliveryValues, ctx: z.RefinementCtx): void {
  if (!v.checkDelivery) {
    if (v.deliveryWindow !== undefined) ctx.addIssue({ code: "custom", path: ["deliveryWindow"], message: "{flag} needs {flag:checkDelivery}" });
    if (v.sinceSnapshot !== undefined) ctx.addIssue({ code: "custom", path: ["sinceSnapshot"], message: "{flag} needs {flag:checkDelivery}" });
    return;
  }
  if (v.fromSnapshot !== undefined && v.sinceSnapshot !== undefined)
    ctx.addIssue({ code: "custom", path: ["sinceSnapshot"], message: "{flag} cannot be combined with {flag:fromSnapshot} (the canary is looked for while collecting)" });
}

/** The delivery check a scan runs, or undefined without --check-delivery. */
export function deliveryOf(v: DeliveryValues): ScanOptions["delivery"] {
  if (!v.checkDelivery) return undefined;
  return { windowHours: v.deliveryWindow ?? DEFAULT_DELIVERY_WINDOW_HOURS, ...(v.sinceSnapshot !== undefined ? { sinceSnapshot: v.sinceSnapshot } : {}) };
}
