/** The review of the plan: per-account write counts, then every step with its diff. */
import { Box, Text } from "ink";
import type { Line } from "../state/lines.js";
import { clampOffset, reviewPosition } from "../state/lines.js";
import { LinesWindow } from "./styled-line.js";

export function ReviewView({ lines, scroll, width, height, color }: { lines: readonly Line[]; scroll: number; width: number; height: number; color: boolean }) {
  const offset = clampOffset(scroll, lines.length, height - 1);
  return (
    <Box flexDirection="column">
      <LinesWindow lines={lines} offset={offset} height={height - 1} width={width} color={color} />
      <Text bold={color} {...(color ? { color: "yellow" } : {})}>
        {reviewPosition(offset, height - 1, lines.length).slice(0, width)}
      </Text>
    </Box>
  );
}
