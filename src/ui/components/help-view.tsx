/** `?`: every key, wrapped to the terminal's width (never cut). */
import { Box } from "ink";
import { helpLines } from "../state/keys.js";
import { LinesWindow } from "./styled-line.js";

export function HelpView({ width, height, color }: { width: number; height: number; color: boolean }) {
  return (
    <Box flexDirection="column">
      <LinesWindow lines={helpLines(width)} offset={0} height={height} width={width} color={color} />
    </Box>
  );
}
