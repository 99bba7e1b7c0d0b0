/** How every format words why a finding is muted. */
import type { Finding } from "../model/finding.js";

/** The reason a finding is muted, with owner and expiry when known (one line). */
export function muteJustification(f: Finding): string {
  const m = f.mute;
  if (!m) return "muted";
  const extra = [m.owner ? `owner: ${m.owner}` : "", m.expires ? `expires ${m.expires}` : ""].filter(Boolean).join(", ");
  const tail = extra ? ` (${extra})` : "";
  if (m.reason) return `${m.reason}${tail}`;
  return `${m.source === "baseline" ? "accepted in the baseline" : "config-file exception"}${tail}`;
}
