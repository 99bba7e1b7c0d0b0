/** A line of the UI with its tone (the components colour by tone, or not at all with NO_COLOR). */
export type Tone = "text" | "heading" | "dim" | "add" | "del" | "hunk" | "warn" | "error" | "ok" | "critical" | "high" | "medium" | "low" | "info";

export interface Line {
  text: string;
  tone: Tone;
}
