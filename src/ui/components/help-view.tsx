/** `?`: every key. */
import { Box } from "ink";
import { HELP_TEXT } from "../state/keys.js";
import { LinesWindow } from "./styled-line.js";

export function HelpView({ width, height, color }: { width: number; height: number; color: boolean }) {
  const lines = HELP_TEXT.map((t) => ({ text: t, tone: t.startsWith(" ") ? ("text" as const) : ("heading" as const) }));
  return (
    <Box flexDirection="column">
      <LinesWindow lines={lines} offset={0} height={height} width={width} color={color} />
    </Box>
  );
}
