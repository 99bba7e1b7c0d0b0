/** Live status of every step while the plan is applied, then the summary (journal, undo). */
import { Box, Text } from "ink";
import type { Line } from "../state/lines.js";
import { clampOffset } from "../state/lines.js";
import { LinesWindow } from "./styled-line.js";

export interface ApplyViewProps {
  /** Step lines (or the rescan's lines after `r`). */
  body: readonly Line[];
  /** Index of the line to keep visible while following (the newest status change). */
  follow: number;
  /** User scroll offset, or null to follow. */
  scroll: number | null;
  /** Pinned at the bottom: summary, journal, undo command. */
  pinned: readonly Line[];
  width: number;
  height: number;
  color: boolean;
}

/** The window of the body: its height, the offset shown, the largest useful offset. */
export function applyWindow(p: Pick<ApplyViewProps, "body" | "follow" | "scroll" | "pinned" | "height">): { bodyHeight: number; offset: number; max: number } {
  const bodyHeight = Math.max(1, p.height - p.pinned.length - 1);
  const wanted = p.scroll ?? Math.max(0, p.follow - bodyHeight + 2);
  return { bodyHeight, offset: clampOffset(wanted, p.body.length, bodyHeight), max: Math.max(0, p.body.length - bodyHeight) };
}

export function ApplyView(p: ApplyViewProps) {
  const { bodyHeight, offset } = applyWindow(p);
  return (
    <Box flexDirection="column">
      <LinesWindow lines={p.body} offset={offset} height={bodyHeight} width={p.width} color={p.color} />
      <Text dimColor={p.color}>{"─".repeat(p.width)}</Text>
      <LinesWindow lines={p.pinned} offset={0} height={p.pinned.length} width={p.width} color={p.color} />
    </Box>
  );
}
