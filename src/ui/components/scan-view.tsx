/** Live progress of a scan (or of the rescan of the affected buckets). */
import { Box, Text } from "ink";
import { finishedLine, statusLine, type ProgressState } from "../../progress/model.js";
import { truncate } from "../state/lines.js";

const MARK = { ok: "✓", partial: "!", error: "✗" } as const;
const COLOUR = { ok: "green", partial: "yellow", error: "red" } as const;

export function ScanView({ title, progress, width, height, color }: { title: string; progress: ProgressState; width: number; height: number; color: boolean }) {
  const room = Math.max(0, height - 3);
  const finished = progress.finished.slice(-room);
  return (
    <Box flexDirection="column">
      <Text bold={color}>{truncate(title, width)}</Text>
      <Text>{truncate(statusLine(progress), width)}</Text>
      <Text> </Text>
      {finished.map((a) => (
        <Text key={a.account} {...(color ? { color: COLOUR[a.status] } : {})}>
          {truncate(`${MARK[a.status]} ${finishedLine(a)}`, width)}
        </Text>
      ))}
      {Array.from({ length: Math.max(0, room - finished.length) }, (_, i) => (
        <Text key={`pad-${i}`}> </Text>
      ))}
    </Box>
  );
}
